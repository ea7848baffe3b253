package com.securecom.protocol.wire;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Encodes and strictly decodes {@link WireMessage}s as UTF-8 JSON. Decoding accepts exactly the
 * documented shape: well-formed UTF-8 without a byte-order mark, the right {@code type}, every
 * required field a string, ids matching {@link WireMessage#ID}, an optional {@code version} a
 * positive integer; anything else is a {@link MalformedMessageException}. Unknown extra fields are
 * ignored, so the protocol can grow. Thread-safe.
 *
 * <p>Both directions share this codec (the server must decode a server message a client sent, to
 * refuse it with 1008). The compiler checks it is complete: encoding goes through both directions'
 * visitors, decoding switches over every {@link WireMessage.Kind}.
 */
public final class WireCodec {
  private static final JsonProvider JSON = JsonProvider.provider();
  private static final JsonReaderFactory READERS = JSON.createReaderFactory(Map.of());

  public byte[] encode(WireMessage message) {
    FlatJsonWriter json = new FlatJsonWriter().add("type", message.type());
    Members members = new Members(json);
    if (message instanceof WireMessage.ClientMessage m) {
      m.accept(members);
    } else {
      ((WireMessage.ServerMessage) message).accept(members);
    }
    return json.toUtf8();
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
      // Parsson signals bad input with JsonException, but also with NumberFormatException (an
      // exponent that
      // overflows BigDecimal) and a bare RuntimeException (nesting deeper than 1000): all of them
      // are bad input.
      throw new MalformedMessageException("message is not valid JSON");
    }
    WireMessage.Kind kind = WireMessage.Kind.ofType(text(json, "type"));
    if (kind == null) {
      throw new MalformedMessageException("unknown message type");
    }
    return switch (kind) {
      case AUTH -> new WireMessage.Auth(text(json, "token"), version(json, text));
      case READY -> new WireMessage.Ready(text(json, "username"), version(json, text));
      case SEND -> new WireMessage.Send(id(json), text(json, "to"), text(json, "envelope"));
      case ACCEPTED -> new WireMessage.Accepted(id(json));
      case DELIVER ->
          new WireMessage.Deliver(
              id(json), text(json, "from"), text(json, "envelope"), text(json, "sentAt"));
      case ACK -> new WireMessage.Ack(id(json), text(json, "from"));
      case DELIVERED -> new WireMessage.Delivered(id(json), text(json, "to"));
      case RELAYED -> new WireMessage.Relayed(id(json), text(json, "to"));
      case RECEIPT_ACK -> new WireMessage.ReceiptAck(id(json));
      case PING -> new WireMessage.Ping();
      case PONG -> new WireMessage.Pong();
      case CAUGHT_UP -> new WireMessage.CaughtUp();
      case PRE_KEYS_LOW -> new WireMessage.PreKeysLow(count(json));
      case ERROR ->
          new WireMessage.Error(
              json.containsKey("id") ? id(json) : null, text(json, "code"), text(json, "message"));
    };
  }

  /**
   * Writes each message's members after {@code type}, in the documented order; one method per
   * message type.
   */
  private static final class Members
      implements WireMessage.ClientMessage.Visitor<RuntimeException>,
          WireMessage.ServerMessage.Visitor<RuntimeException> {
    private final FlatJsonWriter json;

    Members(FlatJsonWriter json) {
      this.json = json;
    }

    @Override
    public void auth(WireMessage.Auth m) {
      json.add("token", m.token());
      version(m.version());
    }

    @Override
    public void ready(WireMessage.Ready m) {
      json.add("username", m.username());
      version(m.version());
    }

    /**
     * Version 1 is written without the member, so version 1 peers see exactly what they always did.
     */
    private void version(int version) {
      if (version != 1) {
        json.add("version", version);
      }
    }

    @Override
    public void send(WireMessage.Send m) {
      json.add("id", m.id()).add("to", m.to()).add("envelope", m.envelope());
    }

    @Override
    public void accepted(WireMessage.Accepted m) {
      json.add("id", m.id());
    }

    @Override
    public void deliver(WireMessage.Deliver m) {
      json.add("id", m.id())
          .add("from", m.from())
          .add("envelope", m.envelope())
          .add("sentAt", m.sentAt());
    }

    @Override
    public void ack(WireMessage.Ack m) {
      json.add("id", m.id()).add("from", m.from());
    }

    @Override
    public void delivered(WireMessage.Delivered m) {
      json.add("id", m.id()).add("to", m.to());
    }

    @Override
    public void relayed(WireMessage.Relayed m) {
      json.add("id", m.id()).add("to", m.to());
    }

    @Override
    public void receiptAck(WireMessage.ReceiptAck m) {
      json.add("id", m.id());
    }

    @Override
    public void error(WireMessage.Error m) {
      if (m.id() != null) {
        json.add("id", m.id());
      }
      json.add("code", m.code()).add("message", m.message());
    }

    @Override
    public void preKeysLow(WireMessage.PreKeysLow m) {
      json.add("count", m.count());
    }

    @Override
    public void ping(WireMessage.Ping m) {
      // no members
    }

    @Override
    public void pong(WireMessage.Pong m) {
      // no members
    }

    @Override
    public void caughtUp(WireMessage.CaughtUp m) {
      // no members
    }
  }

  /**
   * The text of {@code bytes}, which must be well-formed UTF-8 (RFC 3629: no overlong forms,
   * surrogates or values above U+10FFFF) without a byte-order mark. The JSON reader would otherwise
   * guess UTF-16 or UTF-32 from the first bytes, skip a BOM, and replace malformed bytes.
   */
  private static String strictUtf8(byte[] bytes) throws MalformedMessageException {
    if (bytes.length >= 3
        && (bytes[0] & 0xFF) == 0xEF
        && (bytes[1] & 0xFF) == 0xBB
        && (bytes[2] & 0xFF) == 0xBF) {
      throw new MalformedMessageException("message starts with a byte-order mark");
    }
    if (isAscii(bytes)) {
      return new String(bytes, StandardCharsets.US_ASCII); // ASCII is UTF-8, and nothing to check
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedMessageException("message is not valid UTF-8");
    }
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The optional {@code version}: absent is 1; else a JSON number written as 1 to 9 digits without
   * sign, fraction or exponent (so {@code 2e0} and {@code 2.0} are refused, though they equal 2).
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

  /**
   * The text of the (last) top-level member {@code name} of the object {@code text}, a number, as
   * written.
   */
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
          default -> {}
        }
        if (event != JsonParser.Event.KEY_NAME) {
          named = false;
        }
      } while (depth
          > 0); // what follows the object is the reader's business, as for every other member
    } catch (RuntimeException unreadable) {
      return null;
    }
    return written;
  }

  private static String id(JsonObject json) throws MalformedMessageException {
    String id = text(json, "id");
    if (!WireMessage.isId(id)) {
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
