package com.securecom.client.e2e;

import com.securecom.protocol.DeviceIds;
import com.securecom.protocol.Usernames;
import com.securecom.protocol.groups.GroupId;
import com.securecom.protocol.groups.GroupState;
import com.securecom.protocol.groups.GroupStateJson;
import com.securecom.protocol.groups.MalformedGroupException;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.protocol.wire.WrittenNumbers;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
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
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The plaintext inside every envelope, before {@link Padding}: UTF-8 JSON of one of five types
 * (docs/protocol.md, "Payload" and "Groups"). {@code id} repeats the relay message id the envelope
 * is sent under, so the receiver can check that the relay delivered it under that id ({@link
 * Session} does, inside the decryption transaction). The encoder writes compact JSON in the member
 * order {@code id, type, sentAt, ...}; the decoder ignores member order and unknown members and
 * refuses everything else that is not exactly one of the five types with valid members.
 */
public sealed interface MessagePayload
    permits MessagePayload.Text,
        MessagePayload.Receipt,
        MessagePayload.Sent,
        MessagePayload.GroupText,
        MessagePayload.GroupUpdate {
  /**
   * The longest text body, in UTF-8 bytes: its envelope stays under the relay's default 65,536-byte
   * limit.
   */
  int MAX_BODY_BYTES = 60_000;

  /** The most message ids one receipt names. */
  int MAX_RECEIPT_IDS = 100;

  String id();

  Instant sentAt();

  /**
   * The sending device ({@code fromDevice}; 1 when absent): the receiver checks it against the
   * {@code deliver}'s {@code device}, inside the decryption transaction.
   */
  int fromDevice();

  /**
   * The device the envelope is for ({@code toDevice}; 1 when absent): the receiver checks it is its
   * own device id, inside the decryption transaction.
   */
  int toDevice();

  /** The same payload, sent from device {@code from} to device {@code to}. */
  MessagePayload routed(int from, int to);

  /** Compact UTF-8 JSON, members in the canonical order. */
  byte[] encode();

  /** A message to show: {@code {"id","type":"text","sentAt","body"}}. */
  record Text(String id, Instant sentAt, String body, int fromDevice, int toDevice)
      implements MessagePayload {
    /**
     * @throws IllegalArgumentException if {@code id} is not a relay id, {@code body} is empty or
     *     longer than {@link #MAX_BODY_BYTES} UTF-8 bytes, or a device id is not one
     */
    public Text {
      Codec.checkCommon(id, sentAt, fromDevice, toDevice);
      Codec.checkBody(body);
    }

    /** A text between the first devices (a legacy account's only one). */
    public Text(String id, Instant sentAt, String body) {
      this(id, sentAt, body, DeviceIds.FIRST, DeviceIds.FIRST);
    }

    @Override
    public Text routed(int from, int to) {
      return new Text(id, sentAt, body, from, to);
    }

    @Override
    public byte[] encode() {
      return Codec.write(Codec.routed(this, Codec.common(this, "text").add("body", body)));
    }
  }

  /**
   * A sent transcript: {@code {"id","type":"sent","sentAt","to","body"}}, the copy of a text that
   * another device of the same account sent to {@code to}, for the account's other devices
   * (docs/protocol.md, "Payload"). {@code id} is the relay id of that send. Valid only between two
   * devices of one account; never answered with a receipt.
   */
  record Sent(String id, Instant sentAt, String to, String body, int fromDevice, int toDevice)
      implements MessagePayload {
    /**
     * @throws IllegalArgumentException if {@code id} is not a relay id, {@code to} not a username,
     *     {@code body} is empty or longer than {@link #MAX_BODY_BYTES} UTF-8 bytes, or a device id
     *     is not one
     */
    public Sent {
      Codec.checkCommon(id, sentAt, fromDevice, toDevice);
      if (to == null || !Usernames.isValid(to)) {
        throw new IllegalArgumentException("a transcript names its recipient: " + Usernames.RULE);
      }
      Codec.checkBody(body);
    }

    /** The transcript of {@code text}, sent to {@code to}, for the account's other devices. */
    public static Sent of(Text text, String to) {
      return new Sent(
          text.id(), text.sentAt(), to, text.body(), text.fromDevice(), text.toDevice());
    }

    @Override
    public Sent routed(int from, int to) {
      return new Sent(id, sentAt, this.to, body, from, to);
    }

    @Override
    public byte[] encode() {
      return Codec.write(
          Codec.routed(this, Codec.common(this, "sent").add("to", to).add("body", body)));
    }
  }

  /**
   * A text to a group: {@code {"id","type":"groupText","sentAt","group","body"}}, {@code group} the
   * group's id (docs/protocol.md, "Group payloads"). The same payload goes to every device of every
   * other member and to the sender's other devices, which read it as their own transcript. Whether
   * it is shown depends on the group state the receiver holds, not on this decoder.
   */
  record GroupText(
      String id, Instant sentAt, GroupId group, String body, int fromDevice, int toDevice)
      implements MessagePayload {
    /**
     * @throws IllegalArgumentException if {@code id} is not a relay id, {@code group} is null,
     *     {@code body} is empty or longer than {@link #MAX_BODY_BYTES} UTF-8 bytes, or a device id
     *     is not one
     */
    public GroupText {
      Codec.checkCommon(id, sentAt, fromDevice, toDevice);
      if (group == null) {
        throw new IllegalArgumentException("a group text names its group");
      }
      Codec.checkBody(body);
    }

    @Override
    public GroupText routed(int from, int to) {
      return new GroupText(id, sentAt, group, body, from, to);
    }

    @Override
    public byte[] encode() {
      return Codec.write(
          Codec.routed(
              this, Codec.common(this, "groupText").add("group", group.hex()).add("body", body)));
    }
  }

  /**
   * A group's new state: {@code {"id","type":"groupUpdate","sentAt","group":{state}}}
   * (docs/protocol.md, "Group payloads"), sent like a {@link GroupText}. The decoder checks only
   * that the state is well-formed ({@link GroupStateJson}); whether it applies is {@link
   * com.securecom.protocol.groups.GroupRules}'s decision.
   */
  record GroupUpdate(String id, Instant sentAt, GroupState group, int fromDevice, int toDevice)
      implements MessagePayload {
    /**
     * @throws IllegalArgumentException if {@code id} is not a relay id, {@code group} is null, or a
     *     device id is not one
     */
    public GroupUpdate {
      Codec.checkCommon(id, sentAt, fromDevice, toDevice);
      if (group == null) {
        throw new IllegalArgumentException("a group update carries the group's state");
      }
    }

    @Override
    public GroupUpdate routed(int from, int to) {
      return new GroupUpdate(id, sentAt, group, from, to);
    }

    @Override
    public byte[] encode() {
      return Codec.write(
          Codec.routed(
              this, Codec.common(this, "groupUpdate").add("group", GroupStateJson.toJson(group))));
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
  record Receipt(
      String id, Instant sentAt, Kind kind, List<String> of, int fromDevice, int toDevice)
      implements MessagePayload {
    /**
     * @throws IllegalArgumentException if an id is not a relay id, {@code of} is empty, too long or
     *     repeats an id, or a device id is not one
     */
    public Receipt {
      Codec.checkCommon(id, sentAt, fromDevice, toDevice);
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

    /** A receipt between the first devices (a legacy account's only one). */
    public Receipt(String id, Instant sentAt, Kind kind, List<String> of) {
      this(id, sentAt, kind, of, DeviceIds.FIRST, DeviceIds.FIRST);
    }

    @Override
    public Receipt routed(int from, int to) {
      return new Receipt(id, sentAt, kind, of, from, to);
    }

    @Override
    public byte[] encode() {
      return Codec.write(
          Codec.routed(
              this,
              Codec.common(this, "receipt")
                  .add("receipt", kind.wire())
                  .add("of", Codec.JSON.createArrayBuilder(of))));
    }
  }

  /** A text sent now-ish: a shorthand for {@code new Text(id, sentAt, body)}. */
  static Text text(String id, String body, Instant sentAt) {
    return new Text(id, sentAt, body);
  }

  /**
   * The payload in {@code utf8}, or empty if it is not exactly one of the five types with valid
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
    static final JsonProvider JSON = JsonBytes.JSON;
    static final DateTimeFormatter INSTANT_OUT =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern INSTANT_IN =
        Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?Z");

    private Codec() {}

    /** How a present {@code fromDevice} or {@code toDevice} is written: 2 to 999,999,999. */
    private static final Pattern ROUTE_DEVICE = Pattern.compile("[1-9][0-9]{0,8}");

    static void checkCommon(String id, Instant sentAt, int fromDevice, int toDevice) {
      if (id == null || !WireMessage.ID.matcher(id).matches() || sentAt == null) {
        throw new IllegalArgumentException("a payload needs a relay id and a time");
      }
      if (!DeviceIds.isValid(fromDevice) || !DeviceIds.isValid(toDevice)) {
        throw new IllegalArgumentException("a device id is 1 to 999,999,999");
      }
    }

    static void checkBody(String body) {
      if (body == null
          || body.isEmpty()
          || body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
        throw new IllegalArgumentException("a text needs 1 to " + MAX_BODY_BYTES + " UTF-8 bytes");
      }
    }

    /**
     * Appends {@code fromDevice} and {@code toDevice}, each only if it is not 1: so a payload
     * between first devices is byte for byte a version 3 client's.
     */
    static JsonObjectBuilder routed(MessagePayload p, JsonObjectBuilder json) {
      if (p.fromDevice() != DeviceIds.FIRST) {
        json.add("fromDevice", p.fromDevice());
      }
      if (p.toDevice() != DeviceIds.FIRST) {
        json.add("toDevice", p.toDevice());
      }
      return json;
    }

    /**
     * A present route member: a JSON number written as 1 to 9 digits, 2 to 999,999,999 (1 is
     * written by leaving the member out, so a present 1 is refused); -1 if malformed; 1 if absent.
     */
    private static int routeDevice(JsonObject json, byte[] utf8, String member) {
      JsonValue value = json.get(member);
      if (value == null) {
        return DeviceIds.FIRST;
      }
      String written = new WrittenNumbers(new String(utf8, StandardCharsets.UTF_8)).at(member);
      if (!(value instanceof JsonNumber number)
          || written == null
          || !ROUTE_DEVICE.matcher(written).matches()) {
        return -1;
      }
      int device = number.intValue();
      return device == DeviceIds.FIRST ? -1 : device;
    }

    static JsonObjectBuilder common(MessagePayload p, String type) {
      return JSON.createObjectBuilder()
          .add("id", p.id())
          .add("type", type)
          .add("sentAt", formatInstant(p.sentAt()));
    }

    static byte[] write(JsonObjectBuilder json) {
      return JsonBytes.write(json.build());
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
      try (JsonReader reader = JsonBytes.reader(utf8)) {
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
        int from = routeDevice(json, utf8, "fromDevice");
        int to = routeDevice(json, utf8, "toDevice");
        if (sentAt.isEmpty() || from < 0 || to < 0) {
          return Optional.empty();
        }
        return switch (type.getString()) {
          case "text" ->
              json.get("body") instanceof JsonString body
                  ? Optional.of(new Text(id.getString(), sentAt.get(), body.getString(), from, to))
                  : Optional.empty();
          case "receipt" -> receipt(id.getString(), sentAt.get(), json, from, to);
          case "sent" ->
              json.get("to") instanceof JsonString recipient
                      && json.get("body") instanceof JsonString body
                  ? Optional.of(
                      new Sent(
                          id.getString(),
                          sentAt.get(),
                          recipient.getString(),
                          body.getString(),
                          from,
                          to))
                  : Optional.empty();
          case "groupText" ->
              json.get("group") instanceof JsonString group
                      && GroupId.isValid(group.getString())
                      && json.get("body") instanceof JsonString body
                  ? Optional.of(
                      new GroupText(
                          id.getString(),
                          sentAt.get(),
                          new GroupId(group.getString()),
                          body.getString(),
                          from,
                          to))
                  : Optional.empty();
          case "groupUpdate" ->
              Optional.of(
                  new GroupUpdate(
                      id.getString(),
                      sentAt.get(),
                      GroupStateJson.read(
                          json.get("group"),
                          new WrittenNumbers(new String(utf8, StandardCharsets.UTF_8)),
                          "group"),
                      from,
                      to));
          default -> Optional.empty();
        };
      } catch (MalformedGroupException e) {
        return Optional.empty();
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      } catch (RuntimeException e) {
        // Parsson reports bad JSON as JsonException, and deep nesting or huge numbers as other
        // runtime exceptions.
        return Optional.empty();
      }
    }

    private static Optional<MessagePayload> receipt(
        String id, Instant sentAt, JsonObject json, int from, int to) {
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
      return Optional.of(new Receipt(id, sentAt, kind.get(), of, from, to));
    }
  }
}
