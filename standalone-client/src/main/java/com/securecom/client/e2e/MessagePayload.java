package com.securecom.client.e2e;

import com.securecom.protocol.wire.WireMessage;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The plaintext inside every envelope: UTF-8 JSON {@code {"id":...,"body":...,"sentAt":...}}.
 *
 * <p>{@code id} repeats the relay message id the envelope is sent under, so that the receiver can check that the
 * relay delivered it under that id ({@link Session#decrypt(byte[], String)} does). {@code body} is the text, {@code
 * sentAt} the sender's clock as an ISO-8601 instant. The encoder writes compact JSON in this member order; the decoder
 * ignores member order and unknown members.
 */
public record MessagePayload(String id, String body, Instant sentAt) {
  private static final JsonProvider JSON = JsonProvider.provider();

  /**
   * @throws IllegalArgumentException if {@code id} is not a valid relay id ({@code [A-Za-z0-9_-]{1,64}})
   */
  public MessagePayload {
    if (id == null || !WireMessage.ID.matcher(id).matches() || body == null || sentAt == null) {
      throw new IllegalArgumentException("payload needs a relay id, a body and a time");
    }
  }

  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + body.length());
    JSON.createWriterFactory(Map.of()).createWriter(out).write(JSON.createObjectBuilder()
        .add("id", id).add("body", body).add("sentAt", sentAt.toString()).build());
    return out.toByteArray();
  }

  /** The payload in {@code utf8}, or empty if it is not a JSON object with the three members as valid strings. */
  public static Optional<MessagePayload> decode(byte[] utf8) {
    try (JsonReader reader = JSON.createReaderFactory(Map.of()).createReader(new ByteArrayInputStream(utf8))) {
      JsonValue value = reader.readValue();
      if (value.getValueType() != JsonValue.ValueType.OBJECT) {
        return Optional.empty();
      }
      JsonObject json = value.asJsonObject();
      if (json.get("id") instanceof JsonString id && json.get("body") instanceof JsonString body
          && json.get("sentAt") instanceof JsonString sentAt) {
        return Optional.of(new MessagePayload(id.getString(), body.getString(), Instant.parse(sentAt.getString())));
      }
      return Optional.empty();
    } catch (DateTimeParseException | IllegalArgumentException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      // Parsson reports bad JSON as JsonException, and deep nesting or huge numbers as other runtime exceptions.
      return Optional.empty();
    }
  }
}
