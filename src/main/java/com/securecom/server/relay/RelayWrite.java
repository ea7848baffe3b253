package com.securecom.server.relay;

import com.securecom.server.device.DeviceAddress;

/**
 * One durable change the relay makes. {@link GroupCommit} gathers the writes of many connections
 * and commits them together in one transaction ({@link MessageRepository#writeAll}).
 */
public sealed interface RelayWrite {
  /**
   * Store a copy unless its (sending device, id) is already stored or a limit of the recipient
   * device's queue or of the sender is reached.
   */
  record Store(StoredMessage message) implements RelayWrite {}

  /**
   * The recipient device acknowledged the copy {@code sender} sent it under {@code id}: mark it
   * delivered and delete its envelope. {@code envelopeBytes} is the envelope's size if the
   * connection that delivered it knows it, else -1 (the usage counts are then recounted).
   */
  record Acknowledge(
      DeviceAddress recipient, DeviceAddress sender, String id, long now, int envelopeBytes)
      implements RelayWrite {
    public Acknowledge(DeviceAddress recipient, DeviceAddress sender, String id, long now) {
      this(recipient, sender, id, now, -1);
    }
  }

  /** The sending device saw the receipt of {@code id}: forget the message. */
  record ForgetReceipt(DeviceAddress sender, String id) implements RelayWrite {}
}
