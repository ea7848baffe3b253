package com.securecom.protocol.wire;

import java.util.regex.Pattern;

/**
 * One message inside the channel. Every message is a JSON object whose {@code type} names it; docs/protocol.md
 * lists them. Message ids are chosen by the sender: 1-64 characters of {@code [A-Za-z0-9_-]} (a UUID fits).
 */
public sealed interface WireMessage {
  Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  String type();

  /** The newest relay message version this code speaks: 2 adds {@link CaughtUp}. */
  int VERSION = 2;

  /**
   * Client, first sealed frame: the bearer token from {@code POST /api/sessions}, and the newest relay message
   * {@code version} the client understands (1, the default, is written without the member).
   */
  record Auth(String token, int version) implements WireMessage {
    /** A version 1 {@code auth}: the server will not send {@link CaughtUp}. */
    public Auth(String token) {
      this(token, 1);
    }

    public String type() {
      return "auth";
    }

    @Override
    public String toString() {
      return "Auth[token=[REDACTED], version=" + version + "]";
    }
  }

  /**
   * Server: the token was accepted; the connection now belongs to {@code username}. {@code version} is the relay
   * message version the server will speak on it: the lower of the client's and its own (1 is written without the
   * member).
   */
  record Ready(String username, int version) implements WireMessage {
    public Ready(String username) {
      this(username, 1);
    }

    public String type() {
      return "ready";
    }
  }

  /** Client: relay {@code envelope} (base64 of opaque end-to-end ciphertext) to {@code to}. */
  record Send(String id, String to, String envelope) implements WireMessage {
    public String type() {
      return "send";
    }
  }

  /** Server: message {@code id} is stored durably and will be delivered. */
  record Accepted(String id) implements WireMessage {
    public String type() {
      return "accepted";
    }
  }

  /** Server: a message for this user; answer with {@link Ack}. {@code sentAt} is ISO-8601 UTC. */
  record Deliver(String id, String from, String envelope, String sentAt) implements WireMessage {
    public String type() {
      return "deliver";
    }
  }

  /** Client: message {@code id} from {@code from} was received; the server deletes it. */
  record Ack(String id, String from) implements WireMessage {
    public String type() {
      return "ack";
    }
  }

  /** Server: the recipient {@code to} acknowledged message {@code id}; answer with {@link ReceiptAck}. */
  record Delivered(String id, String to) implements WireMessage {
    public String type() {
      return "delivered";
    }
  }

  /** Client: the receipt for message {@code id} was seen; the server forgets it. */
  record ReceiptAck(String id) implements WireMessage {
    public String type() {
      return "receiptAck";
    }
  }

  /** Client: keeps an idle connection open; the server answers {@link Pong}. */
  record Ping() implements WireMessage {
    public String type() {
      return "ping";
    }
  }

  /**
   * Server, version 2: every message that was queued for this user when it connected has been sent ({@code deliver}s
   * and the {@code delivered} receipts it was owed); what follows is live. Sent once per connection.
   */
  record CaughtUp() implements WireMessage {
    public String type() {
      return "caughtUp";
    }
  }

  /** Server: the answer to {@link Ping}. */
  record Pong() implements WireMessage {
    public String type() {
      return "pong";
    }
  }

  /**
   * Server: a bundle fetch left this user's one-time prekey pool with {@code count} keys (decimal digits), below the
   * server's low-water mark: upload more now.
   */
  record PreKeysLow(String count) implements WireMessage {
    public String type() {
      return "preKeysLow";
    }
  }

  /** Server: message {@code id} (null if the error is not about one message) was refused; {@code code} says why. */
  record Error(String id, String code, String message) implements WireMessage {
    public String type() {
      return "error";
    }
  }
}
