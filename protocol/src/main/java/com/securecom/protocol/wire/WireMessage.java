package com.securecom.protocol.wire;

import com.securecom.protocol.DeviceIds;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One message inside the channel. Every message is a JSON object whose {@code type} names it;
 * docs/protocol.md lists them. Message ids are chosen by the sender: 1-64 characters of {@code
 * [A-Za-z0-9_-]} (a UUID fits).
 *
 * <p>The messages form one closed hierarchy the compiler checks: each is a {@link ClientMessage} or
 * a {@link ServerMessage}, names its {@link Kind}, and dispatches to its direction's visitor. A new
 * message type is one record here, one {@link Kind} (the codec's decoder switches over every kind),
 * and one method in its direction's visitor, which every encoder and handler must then implement.
 *
 * <p>Relay message version 4 (linked devices; docs/protocol.md, "Version 4 (linked devices): not
 * yet served") adds device members to existing records as extra components, absent as 0 (a device
 * id) or null (a list or a name); the constructors without them build exactly the version 1 to 3
 * messages they always did. Each record checks the version 4 rules in its constructor ({@link
 * IllegalArgumentException}), so the codec can neither write nor return a message that breaks them;
 * {@link #minimumVersion()} says which version a message needs.
 */
public sealed interface WireMessage {
  Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /**
   * True if {@code id} matches {@link #ID}: checked character by character, as every relay frame
   * carries one.
   */
  static boolean isId(String id) {
    int length = id.length();
    if (length < 1 || length > 64) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = id.charAt(i);
      if (!((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /**
   * The newest relay message version this code speaks: 2 adds {@link CaughtUp} and {@link
   * PreKeysLow}, 3 adds {@link Relayed}, 4 ({@link #DEVICES_VERSION}) linked devices, 5 ({@link
   * #GROUPS_VERSION}) sends to several users (groups).
   */
  int VERSION = 5;

  /** The relay message version that adds linked devices. */
  int DEVICES_VERSION = 4;

  /**
   * The relay message version whose {@link Send} may name several users besides the sender
   * (groups): no new message or member, only the server's rules on {@code copies} change
   * (docs/protocol.md, "Version 5 (groups)").
   */
  int GROUPS_VERSION = 5;

  /**
   * The most copies in one {@link Send}, and the most entries in an {@link Error}'s {@code
   * devices}: a bound of the protocol, which decoders enforce whatever the connection's version; a
   * server may allow fewer copies ({@code securecom.relay.max-copies}), never more, and a version 4
   * connection at most {@link #MAX_COPIES_V4}.
   */
  int MAX_COPIES = 1024;

  /**
   * The most copies a version 4 connection's {@link Send} may carry (the server's rule, check 2).
   */
  int MAX_COPIES_V4 = 32;

  /** The most device ids in one {@link UserDevices} entry's {@code ids}. */
  int MAX_DEVICE_IDS = 32;

  /** The highest {@code serial} of a device list: 2^53 - 1, exact in every JSON implementation. */
  long MAX_SERIAL = (1L << 53) - 1;

  /** Which message this is. */
  Kind kind();

  /**
   * The lowest relay message version whose connections may carry this message with the members it
   * has: 1 for everything of version 1, 2 for {@link CaughtUp} and {@link PreKeysLow}, 3 for {@link
   * Relayed}, 4 for {@link DevicesChanged} and every message with a version 4 member (a device id,
   * {@code copies}, {@code devices}). A receiver refuses a message above its connection's version
   * as malformed (docs/protocol.md).
   */
  default int minimumVersion() {
    return 1;
  }

  /** The {@code type} member on the wire. */
  default String type() {
    return kind().type();
  }

  /** Who may send a message. */
  enum Sender {
    CLIENT,
    SERVER
  }

  /**
   * Every message type, with its {@code type} on the wire and who sends it (docs/protocol.md,
   * "Messages").
   */
  enum Kind {
    AUTH("auth", Sender.CLIENT),
    READY("ready", Sender.SERVER),
    SEND("send", Sender.CLIENT),
    ACCEPTED("accepted", Sender.SERVER),
    DELIVER("deliver", Sender.SERVER),
    ACK("ack", Sender.CLIENT),
    DELIVERED("delivered", Sender.SERVER),
    RELAYED("relayed", Sender.SERVER),
    RECEIPT_ACK("receiptAck", Sender.CLIENT),
    ERROR("error", Sender.SERVER),
    PING("ping", Sender.CLIENT),
    PONG("pong", Sender.SERVER),
    CAUGHT_UP("caughtUp", Sender.SERVER),
    PRE_KEYS_LOW("preKeysLow", Sender.SERVER),
    DEVICES_CHANGED("devicesChanged", Sender.SERVER);

    private final String type;
    private final Sender sender;

    Kind(String type, Sender sender) {
      this.type = type;
      this.sender = sender;
    }

    public String type() {
      return type;
    }

    public Sender sender() {
      return sender;
    }

    /** The kind whose {@code type} is exactly {@code type} (case-sensitive), or null. */
    public static Kind ofType(String type) {
      for (Kind kind : values()) {
        if (kind.type.equals(type)) {
          return kind;
        }
      }
      return null;
    }
  }

  /** A message only a client sends. */
  sealed interface ClientMessage extends WireMessage {
    <X extends Exception> void accept(Visitor<X> visitor) throws X;

    /** One method per client message; {@code X} is what the handler may throw. */
    interface Visitor<X extends Exception> {
      void auth(Auth auth) throws X;

      void send(Send send) throws X;

      void ack(Ack ack) throws X;

      void receiptAck(ReceiptAck receiptAck) throws X;

      void ping(Ping ping) throws X;
    }
  }

  /** A message only the server sends. */
  sealed interface ServerMessage extends WireMessage {
    <X extends Exception> void accept(Visitor<X> visitor) throws X;

    /** One method per server message; {@code X} is what the handler may throw. */
    interface Visitor<X extends Exception> {
      void ready(Ready ready) throws X;

      void accepted(Accepted accepted) throws X;

      void deliver(Deliver deliver) throws X;

      void delivered(Delivered delivered) throws X;

      void relayed(Relayed relayed) throws X;

      void error(Error error) throws X;

      void pong(Pong pong) throws X;

      void caughtUp(CaughtUp caughtUp) throws X;

      void preKeysLow(PreKeysLow preKeysLow) throws X;

      void devicesChanged(DevicesChanged devicesChanged) throws X;
    }
  }

  /**
   * Client, first sealed frame: the bearer token from {@code POST /api/sessions}, and the newest
   * relay message {@code version} the client understands (1, the default, is written without the
   * member).
   */
  record Auth(String token, int version) implements ClientMessage {
    /** A version 1 {@code auth}: the server will not send {@link CaughtUp}. */
    public Auth(String token) {
      this(token, 1);
    }

    @Override
    public Kind kind() {
      return Kind.AUTH;
    }

    @Override
    public <X extends Exception> void accept(ClientMessage.Visitor<X> visitor) throws X {
      visitor.auth(this);
    }

    @Override
    public String toString() {
      return "Auth[token=[REDACTED], version=" + version + "]";
    }
  }

  /**
   * Server: the token was accepted; the connection now belongs to {@code username}. {@code version}
   * is the relay message version the server will speak on it: the lower of the client's and its own
   * (1 is written without the member). From version 4 on, {@code device} is the token's device id;
   * below it, 0 (absent).
   */
  record Ready(String username, int version, int device) implements ServerMessage {
    public Ready {
      optionalDevice(device);
      require(
          (device != 0) == (version >= DEVICES_VERSION),
          "ready names a device exactly from version 4 on");
    }

    public Ready(String username) {
      this(username, 1);
    }

    public Ready(String username, int version) {
      this(username, version, 0);
    }

    @Override
    public int minimumVersion() {
      return device == 0 ? 1 : DEVICES_VERSION;
    }

    @Override
    public Kind kind() {
      return Kind.READY;
    }

    @Override
    public <X extends Exception> void accept(ServerMessage.Visitor<X> visitor) throws X {
      visitor.ready(this);
    }
  }

  /**
   * Client: relay {@code envelope} (base64 of opaque end-to-end ciphertext) to {@code to} (versions
   * 1 to 3; {@code copies} is null), or, from version 4 on, each of 1 to {@link #MAX_COPIES} {@code
   * copies} to its device, all or none ({@code to} and {@code envelope} are null). Exactly one
   * form.
   */
  record Send(String id, String to, String envelope, List<Copy> copies) implements ClientMessage {
    public Send {
      if (copies != null) {
        require(to == null && envelope == null, "a send has copies or to and envelope, not both");
        require(
            !copies.isEmpty() && copies.size() <= MAX_COPIES,
            "a send has 1 to " + MAX_COPIES + " copies");
        copies = List.copyOf(copies);
      }
    }

    /** A version 1 to 3 send. */
    public Send(String id, String to, String envelope) {
      this(id, to, envelope, null);
    }

    /** A version 4 send. */
    public Send(String id, List<Copy> copies) {
      this(id, null, null, Objects.requireNonNull(copies, "copies"));
    }

    @Override
    public int minimumVersion() {
      return copies == null ? 1 : DEVICES_VERSION;
    }

    @Override
    public Kind kind() {
      return Kind.SEND;
    }

    @Override
    public <X extends Exception> void accept(ClientMessage.Visitor<X> visitor) throws X {
      visitor.send(this);
    }
  }

  /** Server: message {@code id} is stored durably and will be delivered. */
  record Accepted(String id) implements ServerMessage {
    @Override
    public Kind kind() {
      return Kind.ACCEPTED;
    }

    @Override
    public <X extends Exception> void accept(ServerMessage.Visitor<X> visitor) throws X {
      visitor.accepted(this);
    }
  }

  /**
   * Server: a message for this user; answer with {@link Ack}. {@code sentAt} is ISO-8601 UTC. From
   * version 4 on, {@code device} is the sender's device; below it, 0 (absent).
   */
  record Deliver(String id, String from, int device, String envelope, String sentAt)
      implements ServerMessage {
    public Deliver {
      optionalDevice(device);
    }

    public Deliver(String id, String from, String envelope, String sentAt) {
      this(id, from, 0, envelope, sentAt);
    }

    @Override
    public int minimumVersion() {
      return device == 0 ? 1 : DEVICES_VERSION;
    }

    @Override
    public Kind kind() {
      return Kind.DELIVER;
    }

    @Override
    public <X extends Exception> void accept(ServerMessage.Visitor<X> visitor) throws X {
      visitor.deliver(this);
    }
  }

  /**
   * Client: message {@code id} from {@code from} was received; the server deletes it. From version
   * 4 on, {@code device} is the sender's device (the {@link Deliver}'s); below it, 0 (absent).
   */
  record Ack(String id, String from, int device) implements ClientMessage {
    public Ack {
      optionalDevice(device);
    }

    public Ack(String id, String from) {
      this(id, from, 0);
    }

    @Override
    public int minimumVersion() {
      return device == 0 ? 1 : DEVICES_VERSION;
    }

    @Override
    public Kind kind() {
      return Kind.ACK;
    }

    @Override
    public <X extends Exception> void accept(ClientMessage.Visitor<X> visitor) throws X {
      visitor.ack(this);
    }
  }

  /**
   * Server: the recipient {@code to} acknowledged message {@code id}; answer with {@link
   * ReceiptAck}. From version 4 on, {@code device} is the recipient device that acknowledged; below
   * it, 0 (absent).
   */
  record Delivered(String id, String to, int device) implements ServerMessage {
    public Delivered {
      optionalDevice(device);
    }

    public Delivered(String id, String to) {
      this(id, to, 0);
    }

    @Override
    public int minimumVersion() {
      return device == 0 ? 1 : DEVICES_VERSION;
    }

    @Override
    public Kind kind() {
      return Kind.DELIVERED;
    }

    @Override
    public <X extends Exception> void accept(ServerMessage.Visitor<X> visitor) throws X {
      visitor.delivered(this);
    }
  }

  /**
   * Server, version 3: the recipient {@code to} acknowledged message {@code id} before the server
   * stored it (the fast path), so the server holds nothing of it. It answers the {@code send} as
   * {@link Accepted} and {@link Delivered} together, and is itself not answered (no {@link
   * ReceiptAck}). From version 4 on (a send of one copy), {@code device} is the recipient device
   * that acknowledged; below it, 0 (absent).
   */
  record Relayed(String id, String to, int device) implements ServerMessage {
    public Relayed {
      optionalDevice(device);
    }

    public Relayed(String id, String to) {
      this(id, to, 0);
    }

    @Override
    public int minimumVersion() {
      return device == 0 ? 3 : DEVICES_VERSION;
    }

    @Override
    public Kind kind() {
      return Kind.RELAYED;
    }

    @Override
    public <X extends Exception> void accept(ServerMessage.Visitor<X> visitor) throws X {
      visitor.relayed(this);
    }
  }

  /**
   * Client: the receipt for message {@code id} was seen; the server forgets it. From version 4 on
   * the receipt is per recipient device: {@code to} and {@code device} name it (the {@link
   * Delivered}'s); below it, null and 0 (absent). Both or neither.
   */
  record ReceiptAck(String id, String to, int device) implements ClientMessage {
    public ReceiptAck {
      optionalDevice(device);
      require((to == null) == (device == 0), "receiptAck has to and device, or neither");
    }

    public ReceiptAck(String id) {
      this(id, null, 0);
    }

    @Override
    public int minimumVersion() {
      return device == 0 ? 1 : DEVICES_VERSION;
    }

    @Override
    public Kind kind() {
      return Kind.RECEIPT_ACK;
    }

    @Override
    public <X extends Exception> void accept(ClientMessage.Visitor<X> visitor) throws X {
      visitor.receiptAck(this);
    }
  }

  /** Client: keeps an idle connection open; the server answers {@link Pong}. */
  record Ping() implements ClientMessage {
    @Override
    public Kind kind() {
      return Kind.PING;
    }

    @Override
    public <X extends Exception> void accept(ClientMessage.Visitor<X> visitor) throws X {
      visitor.ping(this);
    }
  }

  /**
   * Server, version 2: every message that was queued for this user when it connected has been sent
   * ({@code deliver}s and the {@code delivered} receipts it was owed); what follows is live. Sent
   * once per connection.
   */
  record CaughtUp() implements ServerMessage {
    @Override
    public int minimumVersion() {
      return 2;
    }

    @Override
    public Kind kind() {
      return Kind.CAUGHT_UP;
    }

    @Override
    public <X extends Exception> void accept(ServerMessage.Visitor<X> visitor) throws X {
      visitor.caughtUp(this);
    }
  }

  /** Server: the answer to {@link Ping}. */
  record Pong() implements ServerMessage {
    @Override
    public Kind kind() {
      return Kind.PONG;
    }

    @Override
    public <X extends Exception> void accept(ServerMessage.Visitor<X> visitor) throws X {
      visitor.pong(this);
    }
  }

  /**
   * Server: a bundle fetch left this user's one-time prekey pool with {@code count} keys (decimal
   * digits), below the server's low-water mark: upload more now.
   */
  record PreKeysLow(String count) implements ServerMessage {
    @Override
    public int minimumVersion() {
      return 2;
    }

    @Override
    public Kind kind() {
      return Kind.PRE_KEYS_LOW;
    }

    @Override
    public <X extends Exception> void accept(ServerMessage.Visitor<X> visitor) throws X {
      visitor.preKeysLow(this);
    }
  }

  /**
   * Server: message {@code id} (null if the error is not about one message) was refused; {@code
   * code} says why, one of {@link ErrorCodes} (a client must expect codes it does not know). From
   * version 4 on, {@code devices} (null if absent) names users' current device sets ({@link
   * ErrorCodes#STALE_DEVICES}) or full devices ({@link ErrorCodes#QUEUE_FULL}, {@link
   * ErrorCodes#SENDER_SHARE_FULL}): 1 to {@link #MAX_COPIES} entries, each user once.
   */
  record Error(String id, String code, String message, List<UserDevices> devices)
      implements ServerMessage {
    public Error {
      if (devices != null) {
        require(
            !devices.isEmpty() && devices.size() <= MAX_COPIES,
            "an error names 1 to " + MAX_COPIES + " users' devices");
        devices = List.copyOf(devices);
        require(
            new HashSet<>(devices.stream().map(UserDevices::user).toList()).size()
                == devices.size(),
            "an error names each user's devices once");
      }
    }

    public Error(String id, String code, String message) {
      this(id, code, message, null);
    }

    @Override
    public int minimumVersion() {
      return devices == null ? 1 : DEVICES_VERSION;
    }

    @Override
    public Kind kind() {
      return Kind.ERROR;
    }

    @Override
    public <X extends Exception> void accept(ServerMessage.Visitor<X> visitor) throws X {
      visitor.error(this);
    }
  }

  /**
   * Server, version 4: this account's device list changed (a device was linked or removed) and its
   * serial is now {@code serial} (0 to {@link #MAX_SERIAL}); fetch it. Not answered.
   */
  record DevicesChanged(long serial) implements ServerMessage {
    public DevicesChanged {
      require(serial >= 0 && serial <= MAX_SERIAL, "serial must be 0 to 2^53 - 1");
    }

    @Override
    public int minimumVersion() {
      return DEVICES_VERSION;
    }

    @Override
    public Kind kind() {
      return Kind.DEVICES_CHANGED;
    }

    @Override
    public <X extends Exception> void accept(ServerMessage.Visitor<X> visitor) throws X {
      visitor.devicesChanged(this);
    }
  }

  /**
   * One copy of a version 4 {@link Send}: {@code envelope} for device {@code device} of user {@code
   * to}. Not a message of its own.
   */
  record Copy(String to, int device, String envelope) {
    public Copy {
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(envelope, "envelope");
      require(DeviceIds.isValid(device), "a device id is 1 to 999,999,999");
    }
  }

  /**
   * One entry of a version 4 {@link Error}'s {@code devices}: user {@code user}'s device list has
   * serial {@code serial} (0: no list yet, the legacy device 1) and the error concerns devices
   * {@code ids}: 0 to {@link #MAX_DEVICE_IDS} device ids in increasing order.
   */
  record UserDevices(String user, long serial, List<Integer> ids) {
    public UserDevices {
      Objects.requireNonNull(user, "user");
      require(serial >= 0 && serial <= MAX_SERIAL, "serial must be 0 to 2^53 - 1");
      ids = List.copyOf(ids);
      require(ids.size() <= MAX_DEVICE_IDS, "at most " + MAX_DEVICE_IDS + " device ids");
      int previous = 0;
      for (int id : ids) {
        require(DeviceIds.isValid(id), "a device id is 1 to 999,999,999");
        require(id > previous, "device ids in increasing order, each once");
        previous = id;
      }
    }
  }

  /** A version 4 device member: 0 (absent, as below version 4) or a device id. */
  private static void optionalDevice(int device) {
    require(device == 0 || DeviceIds.isValid(device), "a device id is 1 to 999,999,999");
  }

  private static void require(boolean rule, String broken) {
    if (!rule) {
      throw new IllegalArgumentException(broken);
    }
  }
}
