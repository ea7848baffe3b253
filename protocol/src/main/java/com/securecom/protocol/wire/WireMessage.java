package com.securecom.protocol.wire;

import java.util.regex.Pattern;

/**
 * One message inside the channel. Every message is a JSON object whose {@code type} names it; docs/protocol.md
 * lists them. Message ids are chosen by the sender: 1-64 characters of {@code [A-Za-z0-9_-]} (a UUID fits).
 */
public sealed interface WireMessage {
  Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  String type();

  /** Client, first sealed frame: the bearer token from {@code POST /api/sessions}. */
  record Auth(String token) implements WireMessage {
    public String type() {
      return "auth";
    }

    @Override
    public String toString() {
      return "Auth[token=[REDACTED]]";
    }
  }

  /** Server: the token was accepted; the connection now belongs to {@code username}. */
  record Ready(String username) implements WireMessage {
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
