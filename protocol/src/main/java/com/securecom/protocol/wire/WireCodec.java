package com.securecom.protocol.wire;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriterFactory;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Encodes and strictly decodes {@link WireMessage}s as UTF-8 JSON. Decoding accepts exactly the documented shape:
 * well-formed UTF-8 without a byte-order mark, the right {@code type}, every required field a string, ids matching
 * {@link WireMessage#ID}, an optional {@code version} a positive integer; anything else is a
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
      if (m.version() != 1) {
        json.add("version", m.version());
      }
    } else if (message instanceof WireMessage.Ready m) {
      json.add("username", m.username());
      if (m.version() != 1) {
        json.add("version", m.version());
      }
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
    String text = strictUtf8(utf8);
    try (JsonReader reader = READERS.createReader(new StringReader(text))) {
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
      case "auth" -> new WireMessage.Auth(text(json, "token"), version(json, text));
      case "ready" -> new WireMessage.Ready(text(json, "username"), version(json, text));
      case "send" -> new WireMessage.Send(id(json), text(json, "to"), text(json, "envelope"));
      case "accepted" -> new WireMessage.Accepted(id(json));
      case "deliver" ->
          new WireMessage.Deliver(id(json), text(json, "from"), text(json, "envelope"), text(json, "sentAt"));
      case "ack" -> new WireMessage.Ack(id(json), text(json, "from"));
      case "delivered" -> new WireMessage.Delivered(id(json), text(json, "to"));
      case "receiptAck" -> new WireMessage.ReceiptAck(id(json));
      case "ping" -> new WireMessage.Ping();
      case "pong" -> new WireMessage.Pong();
      case "caughtUp" -> new WireMessage.CaughtUp();
      case "preKeysLow" -> new WireMessage.PreKeysLow(count(json));
      case "error" -> new WireMessage.Error(
          json.containsKey("id") ? id(json) : null, text(json, "code"), text(json, "message"));
      default -> throw new MalformedMessageException("unknown message type");
    };
  }

  /**
   * The text of {@code bytes}, which must be well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or values
   * above U+10FFFF) without a byte-order mark. The JSON reader would otherwise guess UTF-16 or UTF-32 from the
   * first bytes, skip a BOM, and replace malformed bytes.
   */
  private static String strictUtf8(byte[] bytes) throws MalformedMessageException {
    if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
      throw new MalformedMessageException("message starts with a byte-order mark");
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedMessageException("message is not valid UTF-8");
    }
  }

  /**
   * The optional {@code version}: absent is 1; else a JSON number written as 1 to 9 digits without sign, fraction or
   * exponent (so {@code 2e0} and {@code 2.0} are refused, though they equal 2).
   */
  private static int version(JsonObject json, String text) throws MalformedMessageException {
    JsonValue value = json.get("version");
    if (value == null) {
      return 1;
    }
    String written = value instanceof JsonNumber ? writtenNumber(text, "version") : null;
    if (written == null || !written.matches("[1-9][0-9]{0,8}")) {
      throw new MalformedMessageException("field 'version' must be a positive integer");
    }
    return Integer.parseInt(written);
  }

  /** The text of the (last) top-level member {@code name} of the object {@code text}, a number, as written. */
  private static String writtenNumber(String text, String name) {
    String written = null;
    try (JsonParser parser = JSON.createParser(new StringReader(text))) {
      int depth = 0;
      boolean named = false;
      do {
        JsonParser.Event event = parser.next();
        switch (event) {
          case START_OBJECT, START_ARRAY -> depth++;
          case END_OBJECT, END_ARRAY -> depth--;
          case KEY_NAME -> named = depth == 1 && parser.getString().equals(name);
          case VALUE_NUMBER -> written = named && depth == 1 ? parser.getString() : written;
          default -> { }
        }
        if (event != JsonParser.Event.KEY_NAME) {
          named = false;
        }
      } while (depth > 0); // what follows the object is the reader's business, as for every other member
    } catch (RuntimeException unreadable) {
      return null;
    }
    return written;
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
