package com.securecom.server.relay;

import com.securecom.server.device.DeviceAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

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
   * Store a message to several devices (relay message version 4): one copy per device, all under
   * one id of one sending device, stored all or none. Refused as a whole if any copy would break a
   * limit (each copy counted as if the copies before it were stored), or if the id is stored
   * already: a {@code DUPLICATE} if exactly these copies are (a retry), else {@code ID_REUSED}.
   */
  final class StoreSend implements RelayWrite {
    private final List<StoredMessage> copies;
    private final List<DeviceAddress> full = new CopyOnWriteArrayList<>();

    public StoreSend(List<StoredMessage> copies) {
      copies = List.copyOf(copies);
      if (copies.isEmpty()) {
        throw new IllegalArgumentException("a send has at least one copy");
      }
      StoredMessage first = copies.get(0);
      Set<DeviceAddress> devices = new HashSet<>();
      for (StoredMessage copy : copies) {
        if (!copy.from().equals(first.from()) || !copy.id().equals(first.id())) {
          throw new IllegalArgumentException(
              "the copies of a send share one sending device and id");
        }
        if (!devices.add(copy.to())) {
          throw new IllegalArgumentException("one copy per device: " + copy.to());
        }
      }
      this.copies = copies;
    }

    /** The copies, in the order of the send. */
    public List<StoredMessage> copies() {
      return copies;
    }

    /**
     * After a {@code QUEUE_FULL} or {@code SENDER_SHARE_FULL}: the recipient devices whose copies
     * broke that limit (each counted as if the copies before it were stored), in the order of the
     * copies; the store notes them when it refuses the send. Empty otherwise.
     */
    public List<DeviceAddress> full() {
      return List.copyOf(full);
    }

    /** The store's note of the devices a limit refused. */
    public void refusedFor(List<DeviceAddress> devices) {
      full.clear();
      full.addAll(devices);
    }
  }

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

    /**
     * True for a copy between two devices of one account: it is deleted at its ack, as no receipt
     * is owed for it (the sender's own devices do not report delivery to each other).
     */
    public boolean ofOwnDevice() {
      return recipient.username().equals(sender.username());
    }
  }

  /**
   * The sending device saw the receipt of {@code id} from the device {@code recipient}: forget that
   * copy. {@code recipient} is null for a receipt of relay message versions 1 to 3, whose {@code
   * receiptAck} names only the id (their sends have one copy).
   */
  record ForgetReceipt(DeviceAddress sender, String id, DeviceAddress recipient)
      implements RelayWrite {
    /** A version 1 to 3 receipt: the one copy of {@code id}. */
    public ForgetReceipt(DeviceAddress sender, String id) {
      this(sender, id, null);
    }
  }
}
