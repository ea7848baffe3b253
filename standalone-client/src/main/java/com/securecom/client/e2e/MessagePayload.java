package com.securecom.client.e2e;

import com.securecom.protocol.wire.WireMessage;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The plaintext inside every envelope, before {@link Padding}: UTF-8 JSON of one of two types
 * (docs/protocol.md, "Payload"). {@code id} repeats the relay message id the envelope is sent
 * under, so the receiver can check that the relay delivered it under that id ({@link Session} does,
 * inside the decryption transaction). The encoder writes compact JSON in the member order {@code
 * id, type, sentAt, ...}; the decoder ignores member order and unknown members and refuses
 * everything else that is not exactly one of the two types with valid members.
 */
public sealed interface MessagePayload permits MessagePayload.Text, MessagePayload.Receipt {
  /**
   * The longest text body, in UTF-8 bytes: its envelope stays under the relay's default 65,536-byte
   * limit.
   */
  int MAX_BODY_BYTES = 60_000;

  /** The most message ids one receipt names. */
  int MAX_RECEIPT_IDS = 100;

  String id();

  Instant sentAt();

  /** Compact UTF-8 JSON, members in the canonical order. */
  byte[] encode();

  /** A message to show: {@code {"id","type":"text","sentAt","body"}}. */
  record Text(String id, Instant sentAt, String body) implements MessagePayload {
    /**
     * @throws IllegalArgumentException if {@code id} is not a relay id, or {@code body} is empty or
     *     longer than {@link #MAX_BODY_BYTES} UTF-8 bytes
     */
    public Text {
      Codec.checkCommon(id, sentAt);
      if (body == null
          || body.isEmpty()
          || body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
        throw new IllegalArgumentException("a text needs 1 to " + MAX_BODY_BYTES + " UTF-8 bytes");
      }
    }

    @Override
    public byte[] encode() {
      return Codec.write(Codec.common(this, "text").add("body", body));
    }
  }

  /** What a receipt says about the messages it names. */
  enum Kind {
    /** The recipient's client decrypted and stored them. */
    DELIVERED("delivered"),
    /** The recipient's user saw them (sent only if the user turned read receipts on). */
    READ("read"),
    /** The recipient's client could not decrypt them (or they arrived too late to be read). */
    UNDECRYPTABLE("undecryptable");

    private final String wire;

    Kind(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    static Optional<Kind> of(String wire) {
      for (Kind kind : values()) {
        if (kind.wire.equals(wire)) {
          return Optional.of(kind);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * An end-to-end receipt: {@code {"id","type":"receipt","sentAt","receipt","of":[ids]}}. Never
   * answered.
   */
  record Receipt(String id, Instant sentAt, Kind kind, List<String> of) implements MessagePayload {
    /**
     * @throws IllegalArgumentException if an id is not a relay id, or {@code of} is empty, too long
     *     or repeats an id
     */
    public Receipt {
      Codec.checkCommon(id, sentAt);
      if (kind == null
          || of == null
          || of.isEmpty()
          || of.size() > MAX_RECEIPT_IDS
          || new HashSet<>(of).size() != of.size()
          || !of.stream().allMatch(i -> i != null && WireMessage.ID.matcher(i).matches())) {
        throw new IllegalArgumentException(
            "a receipt names 1 to " + MAX_RECEIPT_IDS + " distinct relay ids");
      }
      of = List.copyOf(of);
    }

    @Override
    public byte[] encode() {
      return Codec.write(
          Codec.common(this, "receipt")
              .add("receipt", kind.wire())
              .add("of", Codec.JSON.createArrayBuilder(of)));
    }
  }

  /** A text sent now-ish: a shorthand for {@code new Text(id, sentAt, body)}. */
  static Text text(String id, String body, Instant sentAt) {
    return new Text(id, sentAt, body);
  }

  /**
   * The payload in {@code utf8}, or empty if it is not exactly one of the two types with valid
   * members.
   */
  static Optional<MessagePayload> decode(byte[] utf8) {
    return Codec.read(utf8);
  }

  /** Writes {@code sentAt} as writers must: {@code YYYY-MM-DDTHH:MM:SS.sssZ}. */
  static String formatInstant(Instant instant) {
    return Codec.INSTANT_OUT.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  /**
   * Reads {@code sentAt} as readers must: {@code YYYY-MM-DDTHH:MM:SSZ} with 0 to 9 fraction digits,
   * a valid calendar date and time.
   *
   * @return empty if the text is in any other form
   */
  static Optional<Instant> parseInstant(String text) {
    return Codec.instant(text);
  }

  /** The JSON work, kept out of the public surface. */
  final class Codec {
    static final JsonProvider JSON = JsonProvider.provider();
    static final DateTimeFormatter INSTANT_OUT =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern INSTANT_IN =
        Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?Z");

    private Codec() {}

    static void checkCommon(String id, Instant sentAt) {
      if (id == null || !WireMessage.ID.matcher(id).matches() || sentAt == null) {
        throw new IllegalArgumentException("a payload needs a relay id and a time");
      }
    }

    static JsonObjectBuilder common(MessagePayload p, String type) {
      return JSON.createObjectBuilder()
          .add("id", p.id())
          .add("type", type)
          .add("sentAt", formatInstant(p.sentAt()));
    }

    static byte[] write(JsonObjectBuilder json) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      JSON.createWriterFactory(Map.of()).createWriter(out).write(json.build());
      return out.toByteArray();
    }

    static Optional<Instant> instant(String text) {
      Matcher m = INSTANT_IN.matcher(text);
      if (!m.matches()) {
        return Optional.empty();
      }
      try {
        String fraction = m.group(7) == null ? "" : m.group(7);
        int nanos =
            fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
        LocalDateTime time =
            LocalDateTime.of(
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)),
                Integer.parseInt(m.group(5)),
                Integer.parseInt(m.group(6)),
                nanos);
        return Optional.of(time.toInstant(ZoneOffset.UTC));
      } catch (DateTimeException e) {
        return Optional.empty();
      }
    }

    static Optional<MessagePayload> read(byte[] utf8) {
      try (JsonReader reader =
          JSON.createReaderFactory(Map.of()).createReader(new ByteArrayInputStream(utf8))) {
        JsonValue value = reader.readValue();
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
          return Optional.empty();
        }
        JsonObject json = value.asJsonObject();
        if (!(json.get("id") instanceof JsonString id)
            || !(json.get("type") instanceof JsonString type)
            || !(json.get("sentAt") instanceof JsonString sentAtText)) {
          return Optional.empty();
        }
        Optional<Instant> sentAt = instant(sentAtText.getString());
        if (sentAt.isEmpty()) {
          return Optional.empty();
        }
        return switch (type.getString()) {
          case "text" ->
              json.get("body") instanceof JsonString body
                  ? Optional.of(new Text(id.getString(), sentAt.get(), body.getString()))
                  : Optional.empty();
          case "receipt" -> receipt(id.getString(), sentAt.get(), json);
          default -> Optional.empty();
        };
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      } catch (RuntimeException e) {
        // Parsson reports bad JSON as JsonException, and deep nesting or huge numbers as other
        // runtime exceptions.
        return Optional.empty();
      }
    }

    private static Optional<MessagePayload> receipt(String id, Instant sentAt, JsonObject json) {
      if (!(json.get("receipt") instanceof JsonString kindText)
          || !(json.get("of") instanceof JsonArray ids)) {
        return Optional.empty();
      }
      Optional<Kind> kind = Kind.of(kindText.getString());
      if (kind.isEmpty() || ids.size() > MAX_RECEIPT_IDS) {
        return Optional.empty();
      }
      List<String> of = new ArrayList<>(ids.size());
      for (JsonValue v : ids) {
        if (!(v instanceof JsonString s)) {
          return Optional.empty();
        }
        of.add(s.getString());
      }
      return Optional.of(new Receipt(id, sentAt, kind.get(), of));
    }
  }
}
