package com.securecom.protocol.wire;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriterFactory;
import jakarta.json.spi.JsonProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * Encodes and strictly decodes {@link WireMessage}s as UTF-8 JSON. Decoding accepts exactly the documented shape:
 * the right {@code type}, every required field a string, ids matching {@link WireMessage#ID}; anything else is a
 * {@link MalformedMessageException}. Unknown extra fields are ignored, so the protocol can grow. Thread-safe.
 */
public final class WireCodec {
  private static final JsonProvider JSON = JsonProvider.provider();
  private static final JsonReaderFactory READERS = JSON.createReaderFactory(Map.of());
  private static final JsonWriterFactory WRITERS = JSON.createWriterFactory(Map.of());

  public byte[] encode(WireMessage message) {
    JsonObjectBuilder json = JSON.createObjectBuilder().add("type", message.type());
    if (message instanceof WireMessage.Auth m) {
      json.add("token", m.token());
    } else if (message instanceof WireMessage.Ready m) {
      json.add("username", m.username());
    } else if (message instanceof WireMessage.Send m) {
      json.add("id", m.id()).add("to", m.to()).add("envelope", m.envelope());
    } else if (message instanceof WireMessage.Accepted m) {
      json.add("id", m.id());
    } else if (message instanceof WireMessage.Deliver m) {
      json.add("id", m.id()).add("from", m.from()).add("envelope", m.envelope()).add("sentAt", m.sentAt());
    } else if (message instanceof WireMessage.Ack m) {
      json.add("id", m.id()).add("from", m.from());
    } else if (message instanceof WireMessage.Delivered m) {
      json.add("id", m.id()).add("to", m.to());
    } else if (message instanceof WireMessage.ReceiptAck m) {
      json.add("id", m.id());
    } else if (message instanceof WireMessage.PreKeysLow m) {
      json.add("count", m.count());
    } else if (message instanceof WireMessage.Error m) {
      if (m.id() != null) {
        json.add("id", m.id());
      }
      json.add("code", m.code()).add("message", m.message());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    WRITERS.createWriter(out).write(json.build());
    return out.toByteArray();
  }

  public WireMessage decode(byte[] utf8) throws MalformedMessageException {
    JsonObject json;
    try (JsonReader reader = READERS.createReader(new ByteArrayInputStream(utf8))) {
      JsonValue value = reader.readValue();
      if (value.getValueType() != JsonValue.ValueType.OBJECT) {
        throw new MalformedMessageException("message is not a JSON object");
      }
      json = value.asJsonObject();
    } catch (RuntimeException e) {
      // Parsson signals bad input with JsonException, but also with NumberFormatException (an exponent that
      // overflows BigDecimal) and a bare RuntimeException (nesting deeper than 1000): all of them are bad input.
      throw new MalformedMessageException("message is not valid JSON");
    }
    String type = text(json, "type");
    return switch (type) {
      case "auth" -> new WireMessage.Auth(text(json, "token"));
      case "ready" -> new WireMessage.Ready(text(json, "username"));
      case "send" -> new WireMessage.Send(id(json), text(json, "to"), text(json, "envelope"));
      case "accepted" -> new WireMessage.Accepted(id(json));
      case "deliver" ->
          new WireMessage.Deliver(id(json), text(json, "from"), text(json, "envelope"), text(json, "sentAt"));
      case "ack" -> new WireMessage.Ack(id(json), text(json, "from"));
      case "delivered" -> new WireMessage.Delivered(id(json), text(json, "to"));
      case "receiptAck" -> new WireMessage.ReceiptAck(id(json));
      case "ping" -> new WireMessage.Ping();
      case "pong" -> new WireMessage.Pong();
      case "preKeysLow" -> new WireMessage.PreKeysLow(count(json));
      case "error" -> new WireMessage.Error(
          json.containsKey("id") ? id(json) : null, text(json, "code"), text(json, "message"));
      default -> throw new MalformedMessageException("unknown message type");
    };
  }

  private static String id(JsonObject json) throws MalformedMessageException {
    String id = text(json, "id");
    if (!WireMessage.ID.matcher(id).matches()) {
      throw new MalformedMessageException("id must be 1-64 characters of [A-Za-z0-9_-]");
    }
    return id;
  }

  private static String count(JsonObject json) throws MalformedMessageException {
    String count = text(json, "count");
    if (!count.matches("0|[1-9][0-9]{0,8}")) {
      throw new MalformedMessageException("count must be decimal digits");
    }
    return count;
  }

  private static String text(JsonObject json, String field) throws MalformedMessageException {
    JsonValue value = json.get(field);
    if (!(value instanceof JsonString string)) {
      throw new MalformedMessageException("field '" + field + "' must be a string");
    }
    return string.getString();
  }
}
