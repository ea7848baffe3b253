package com.securecom.protocol.wire;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Encodes and strictly decodes {@link WireMessage}s as UTF-8 JSON. Decoding accepts exactly the
 * documented shape: well-formed UTF-8 without a byte-order mark, the right {@code type}, every
 * required field a string, ids matching {@link WireMessage#ID}, an optional {@code version} a
 * positive integer, device ids and serials JSON numbers written in their canonical form, {@code
 * copies} and {@code devices} arrays of 1 to {@link WireMessage#MAX_COPIES} objects, each {@code
 * ids} at most {@link WireMessage#MAX_DEVICE_IDS} device ids; anything else is a {@link
 * MalformedMessageException}. Unknown extra fields are ignored, so the protocol can grow: also
 * inside the objects of {@code copies} and {@code devices}. Thread-safe.
 *
 * <p>Decoding does not depend on the connection's version: a version 4 member is read whenever it
 * is present, and the message's {@link WireMessage#minimumVersion()} tells the receiver whether its
 * connection may carry it (docs/protocol.md: a receiver refuses it as malformed if not).
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
    try {
      return message(kind, json, new WrittenNumbers(text));
    } catch (IllegalArgumentException brokenRule) { // a record's own rule (docs/protocol.md)
      throw new MalformedMessageException(brokenRule.getMessage());
    }
  }

  private static WireMessage message(WireMessage.Kind kind, JsonObject json, WrittenNumbers numbers)
      throws MalformedMessageException {
    return switch (kind) {
      case AUTH -> new WireMessage.Auth(text(json, "token"), version(json, numbers));
      case READY ->
          new WireMessage.Ready(
              text(json, "username"), version(json, numbers), optionalDevice(json, numbers));
      case SEND -> send(json, numbers);
      case ACCEPTED -> new WireMessage.Accepted(id(json));
      case DELIVER ->
          new WireMessage.Deliver(
              id(json),
              text(json, "from"),
              optionalDevice(json, numbers),
              text(json, "envelope"),
              text(json, "sentAt"));
      case ACK -> new WireMessage.Ack(id(json), text(json, "from"), optionalDevice(json, numbers));
      case DELIVERED ->
          new WireMessage.Delivered(id(json), text(json, "to"), optionalDevice(json, numbers));
      case RELAYED ->
          new WireMessage.Relayed(id(json), text(json, "to"), optionalDevice(json, numbers));
      case RECEIPT_ACK ->
          json.containsKey("to") || json.containsKey("device")
              ? new WireMessage.ReceiptAck(
                  id(json), text(json, "to"), deviceId(json, numbers, "device"))
              : new WireMessage.ReceiptAck(id(json));
      case PING -> new WireMessage.Ping();
      case PONG -> new WireMessage.Pong();
      case CAUGHT_UP -> new WireMessage.CaughtUp();
      case PRE_KEYS_LOW -> new WireMessage.PreKeysLow(count(json));
      case ERROR ->
          new WireMessage.Error(
              json.containsKey("id") ? id(json) : null,
              text(json, "code"),
              text(json, "message"),
              json.containsKey("devices") ? devices(json, numbers) : null);
      case DEVICES_CHANGED -> new WireMessage.DevicesChanged(serial(json, numbers, "serial"));
    };
  }

  /**
   * A {@code send} of either form: {@code to} and {@code envelope} (versions 1 to 3) or {@code
   * copies} (version 4); a member of the other form beside {@code copies} is malformed.
   */
  private static WireMessage.Send send(JsonObject json, WrittenNumbers numbers)
      throws MalformedMessageException {
    if (!json.containsKey("copies")) {
      return new WireMessage.Send(id(json), text(json, "to"), text(json, "envelope"));
    }
    if (json.containsKey("to") || json.containsKey("envelope")) {
      throw new MalformedMessageException("a send has copies or to and envelope, not both");
    }
    JsonArray array = array(json, "copies");
    List<WireMessage.Copy> copies = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonObject copy = object(array, i, "copies");
      copies.add(
          new WireMessage.Copy(
              text(copy, "to"),
              deviceId(copy, numbers, "copies", i, "device"),
              text(copy, "envelope")));
    }
    return new WireMessage.Send(id(json), copies);
  }

  private static List<WireMessage.UserDevices> devices(JsonObject json, WrittenNumbers numbers)
      throws MalformedMessageException {
    JsonArray array = array(json, "devices");
    List<WireMessage.UserDevices> devices = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonObject entry = object(array, i, "devices");
      JsonValue idsValue = entry.get("ids");
      if (!(idsValue instanceof JsonArray idsArray)
          || idsArray.size() > WireMessage.MAX_DEVICE_IDS) {
        throw new MalformedMessageException(
            "'ids' must be an array of at most " + WireMessage.MAX_DEVICE_IDS + " device ids");
      }
      List<Integer> ids = new ArrayList<>(idsArray.size());
      for (int j = 0; j < idsArray.size(); j++) {
        ids.add(deviceId(idsArray.get(j), numbers.at("devices", i, "ids", j)));
      }
      devices.add(
          new WireMessage.UserDevices(
              text(entry, "user"), serial(entry, numbers, "devices", i, "serial"), ids));
    }
    return devices;
  }

  /** The array member {@code name}: 1 to {@link WireMessage#MAX_COPIES} elements, checked first. */
  private static JsonArray array(JsonObject json, String name) throws MalformedMessageException {
    if (!(json.get(name) instanceof JsonArray array)
        || array.isEmpty()
        || array.size() > WireMessage.MAX_COPIES) {
      throw new MalformedMessageException(
          "'" + name + "' must be an array of 1 to " + WireMessage.MAX_COPIES + " objects");
    }
    return array;
  }

  private static JsonObject object(JsonArray array, int i, String name)
      throws MalformedMessageException {
    if (!(array.get(i) instanceof JsonObject object)) {
      throw new MalformedMessageException("each element of '" + name + "' must be an object");
    }
    return object;
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
      device(m.device());
    }

    /** A device member is written only when present (version 4), after the member it qualifies. */
    private void device(int device) {
      if (device != 0) {
        json.add("device", device);
      }
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
      json.add("id", m.id());
      if (m.copies() == null) {
        json.add("to", m.to()).add("envelope", m.envelope());
        return;
      }
      json.beginArray("copies");
      for (WireMessage.Copy copy : m.copies()) {
        json.beginObject()
            .add("to", copy.to())
            .add("device", copy.device())
            .add("envelope", copy.envelope())
            .endObject();
      }
      json.endArray();
    }

    @Override
    public void accepted(WireMessage.Accepted m) {
      json.add("id", m.id());
    }

    @Override
    public void deliver(WireMessage.Deliver m) {
      json.add("id", m.id()).add("from", m.from());
      device(m.device());
      json.add("envelope", m.envelope()).add("sentAt", m.sentAt());
    }

    @Override
    public void ack(WireMessage.Ack m) {
      json.add("id", m.id()).add("from", m.from());
      device(m.device());
    }

    @Override
    public void delivered(WireMessage.Delivered m) {
      json.add("id", m.id()).add("to", m.to());
      device(m.device());
    }

    @Override
    public void relayed(WireMessage.Relayed m) {
      json.add("id", m.id()).add("to", m.to());
      device(m.device());
    }

    @Override
    public void receiptAck(WireMessage.ReceiptAck m) {
      json.add("id", m.id());
      if (m.to() != null) {
        json.add("to", m.to());
      }
      device(m.device());
    }

    @Override
    public void error(WireMessage.Error m) {
      if (m.id() != null) {
        json.add("id", m.id());
      }
      json.add("code", m.code()).add("message", m.message());
      if (m.devices() != null) {
        json.beginArray("devices");
        for (WireMessage.UserDevices entry : m.devices()) {
          json.beginObject().add("user", entry.user()).add("serial", entry.serial());
          json.beginArray("ids");
          for (int id : entry.ids()) {
            json.element(id);
          }
          json.endArray().endObject();
        }
        json.endArray();
      }
    }

    @Override
    public void devicesChanged(WireMessage.DevicesChanged m) {
      json.add("serial", m.serial());
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

  /** A device id as written: 1 to 9 digits, no leading zero (docs/protocol.md, "Device ids"). */
  private static final Pattern DEVICE_ID = Pattern.compile("[1-9][0-9]{0,8}");

  /**
   * The optional {@code version}: absent is 1; else a JSON number written as 1 to 9 digits without
   * sign, fraction or exponent (so {@code 2e0} and {@code 2.0} are refused, though they equal 2).
   */
  private static int version(JsonObject json, WrittenNumbers numbers)
      throws MalformedMessageException {
    JsonValue value = json.get("version");
    if (value == null) {
      return 1;
    }
    String written = value instanceof JsonNumber ? numbers.at("version") : null;
    if (written == null || !DEVICE_ID.matcher(written).matches()) {
      throw new MalformedMessageException("field 'version' must be a positive integer");
    }
    return Integer.parseInt(written);
  }

  /** The optional top-level {@code device}: absent is 0; else a device id. */
  private static int optionalDevice(JsonObject json, WrittenNumbers numbers)
      throws MalformedMessageException {
    return json.containsKey("device") ? deviceId(json, numbers, "device") : 0;
  }

  /** The member at the end of {@code path} (within {@code json}, at that path) as a device id. */
  private static int deviceId(JsonObject json, WrittenNumbers numbers, Object... path)
      throws MalformedMessageException {
    return deviceId(json.get((String) path[path.length - 1]), numbers.at(path));
  }

  private static int deviceId(JsonValue value, String written) throws MalformedMessageException {
    if (!(value instanceof JsonNumber)
        || written == null
        || !DEVICE_ID.matcher(written).matches()) {
      throw new MalformedMessageException(
          "a device id must be a JSON number of 1 to 9 digits without leading zero");
    }
    return Integer.parseInt(written);
  }

  private static long serial(JsonObject json, WrittenNumbers numbers, Object... path)
      throws MalformedMessageException {
    JsonValue value = json.get((String) path[path.length - 1]);
    long serial = WrittenNumbers.safeInteger(value instanceof JsonNumber ? numbers.at(path) : null);
    if (serial < 0 || serial > WireMessage.MAX_SERIAL) {
      throw new MalformedMessageException(
          "'serial' must be a JSON integer from 0 to 2^53 - 1 without leading zero");
    }
    return serial;
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
