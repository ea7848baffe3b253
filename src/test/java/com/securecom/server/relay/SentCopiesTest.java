package com.securecom.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.server.device.DeviceAddress;
import org.junit.jupiter.api.Test;

/** Which copy of a message a connection holds, and so where its client's ack must go. */
class SentCopiesTest {
  private final SentCopies copies = new SentCopies();

  private static StoredMessage message(String id, int bytes) {
    return new StoredMessage(0, "alice", id, "bob", new byte[bytes], 0, 1, null);
  }

  @Test
  void aFastPathCopy_isSentOnce_andItsAckSaysItWentBeforeAnyStore() {
    assertThat(copies.sendBeforeStore(message("m1", 7))).isTrue();
    assertThat(copies.sendBeforeStore(message("m1", 7))).isFalse();

    assertThat(copies.acknowledged(DeviceAddress.first("alice"), "m1"))
        .isEqualTo(new SentCopies.Copy(7, true));
  }

  @Test
  void whileAStoredCopyIsUnacknowledged_theFastPathIsRefused_andTheAckIsForTheStoredRow() {
    assertThat(copies.sendStored(message("m1", 7))).isTrue();
    assertThat(copies.sendBeforeStore(message("m1", 7))).isFalse();
    assertThat(copies.sendStored(message("m1", 7))).as("sent once").isFalse();

    assertThat(copies.acknowledged(DeviceAddress.first("alice"), "m1"))
        .isEqualTo(new SentCopies.Copy(7, false));
  }

  @Test
  void aStoredCopyAfterTheFastPathCopy_isNotSentAgain_butTheAckNowCountsAsStored() {
    assertThat(copies.sendBeforeStore(message("m1", 7))).isTrue();
    assertThat(copies.sendStored(message("m1", 7))).isFalse();

    assertThat(copies.acknowledged(DeviceAddress.first("alice"), "m1").beforeStore()).isFalse();
  }

  @Test
  void anAckOfSomethingNotSentHere_orAlreadyAcknowledged_isNotSentHere() {
    assertThat(copies.acknowledged(DeviceAddress.first("alice"), "m1"))
        .isEqualTo(SentCopies.Copy.NOT_SENT_HERE);
    copies.sendStored(message("m1", 7));
    copies.acknowledged(DeviceAddress.first("alice"), "m1");
    assertThat(copies.acknowledged(DeviceAddress.first("alice"), "m1"))
        .isEqualTo(SentCopies.Copy.NOT_SENT_HERE);
    assertThat(copies.sendBeforeStore(message("m1", 7)))
        .as("sendable again once acknowledged")
        .isTrue();
  }

  @Test
  void theSameIdFromAnotherSender_isAnotherMessage() {
    copies.sendStored(message("m1", 7));
    StoredMessage fromCarol = new StoredMessage(0, "carol", "m1", "bob", new byte[3], 0, 1, null);
    assertThat(copies.sendBeforeStore(fromCarol)).isTrue();
  }

  /**
   * An ack below relay version 4 names the sending user only; the connection knows which of the
   * user's devices it delivered the message from, so the right copy is acknowledged.
   */
  @Test
  void anAckWithoutADevice_isForTheDeviceTheMessageCameFrom() {
    DeviceAddress alice2 = new DeviceAddress("alice", 2);
    copies.sendStored(
        new StoredMessage(alice2, "m1", DeviceAddress.first("bob"), new byte[3], 0, 1, null));

    assertThat(copies.senderOf("alice", "m1")).isEqualTo(alice2);
    assertThat(copies.senderOf("alice", "other")).isEqualTo(DeviceAddress.first("alice"));
    assertThat(copies.acknowledged(alice2, "m1").envelopeBytes()).isEqualTo(3);
    assertThat(copies.senderOf("alice", "m1"))
        .as("forgotten with its ack")
        .isEqualTo(DeviceAddress.first("alice"));
  }
}
