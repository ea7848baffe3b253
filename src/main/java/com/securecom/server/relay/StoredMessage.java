package com.securecom.server.relay;

/**
 * A relayed message as the queue holds it. {@code sender} comes from the authenticated session,
 * never from the client; {@code envelope} is opaque end-to-end ciphertext. {@code seq} orders a
 * recipient's queue (0 before it is stored).
 */
public record StoredMessage(
    long seq,
    String sender,
    String id,
    String recipient,
    byte[] envelope,
    long sentAt,
    long expiresAt) {

  /** The key that identifies a message: ids are unique per sender. */
  public String key() {
    return sender + '\u0000' + id;
  }

  @Override
  public String toString() {
    return "StoredMessage["
        + sender
        + "/"
        + id
        + " -> "
        + recipient
        + ", "
        + envelope.length
        + " bytes]";
  }
}
