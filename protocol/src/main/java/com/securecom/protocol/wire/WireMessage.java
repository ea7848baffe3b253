package com.securecom.protocol.wire;

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
   * PreKeysLow}, 3 adds {@link Relayed}.
   */
  int VERSION = 3;

  /** Which message this is. */
  Kind kind();

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
    PRE_KEYS_LOW("preKeysLow", Sender.SERVER);

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
   * (1 is written without the member).
   */
  record Ready(String username, int version) implements ServerMessage {
    public Ready(String username) {
      this(username, 1);
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

  /** Client: relay {@code envelope} (base64 of opaque end-to-end ciphertext) to {@code to}. */
  record Send(String id, String to, String envelope) implements ClientMessage {
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

  /** Server: a message for this user; answer with {@link Ack}. {@code sentAt} is ISO-8601 UTC. */
  record Deliver(String id, String from, String envelope, String sentAt) implements ServerMessage {
    @Override
    public Kind kind() {
      return Kind.DELIVER;
    }

    @Override
    public <X extends Exception> void accept(ServerMessage.Visitor<X> visitor) throws X {
      visitor.deliver(this);
    }
  }

  /** Client: message {@code id} from {@code from} was received; the server deletes it. */
  record Ack(String id, String from) implements ClientMessage {
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
   * ReceiptAck}.
   */
  record Delivered(String id, String to) implements ServerMessage {
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
   * ReceiptAck}).
   */
  record Relayed(String id, String to) implements ServerMessage {
    @Override
    public Kind kind() {
      return Kind.RELAYED;
    }

    @Override
    public <X extends Exception> void accept(ServerMessage.Visitor<X> visitor) throws X {
      visitor.relayed(this);
    }
  }

  /** Client: the receipt for message {@code id} was seen; the server forgets it. */
  record ReceiptAck(String id) implements ClientMessage {
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
   * code} says why, one of {@link ErrorCodes} (a client must expect codes it does not know).
   */
  record Error(String id, String code, String message) implements ServerMessage {
    @Override
    public Kind kind() {
      return Kind.ERROR;
    }

    @Override
    public <X extends Exception> void accept(ServerMessage.Visitor<X> visitor) throws X {
      visitor.error(this);
    }
  }
}
