package com.securecom.server.relay;

/**
 * One durable change the relay makes. {@link GroupCommit} gathers the writes of many connections
 * and commits them together in one transaction ({@link MessageRepository#writeAll}).
 */
public sealed interface RelayWrite {
  /** Store a message unless its (sender, id) is already stored or the recipient's queue is full. */
  record Store(StoredMessage message) implements RelayWrite {}

  /**
   * The recipient acknowledged a message: mark it delivered and delete its envelope. {@code
   * envelopeBytes} is the envelope's size if the connection that delivered it knows it, else -1
   * (the usage counts are then recounted).
   */
  record Acknowledge(String recipient, String sender, String id, long now, int envelopeBytes)
      implements RelayWrite {
    public Acknowledge(String recipient, String sender, String id, long now) {
      this(recipient, sender, id, now, -1);
    }
  }

  /** The sender saw the receipt: forget the message. */
  record ForgetReceipt(String sender, String id) implements RelayWrite {}
}
