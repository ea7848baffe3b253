package com.securecom.server.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.server.device.DeviceAddress;
import com.securecom.server.relay.MessageRepository.Outcome;
import com.securecom.server.relay.Receipt;
import com.securecom.server.relay.RelayWrite;
import com.securecom.server.relay.StoredMessage;
import com.securecom.server.testing.InMemoryDatabase;
import com.securecom.server.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A message whose time to live ended is as good as purged, though housekeeping (10,000 rows a run)
 * may not have deleted it yet: its recipient never gets it, and its sender never gets a receipt for
 * it. The real repository over a fresh in-memory database, its clock moved by the tests.
 */
class ExpiredMessagesTest {
  private static final long SENT = 1_000_000L;
  private static final long EXPIRES = SENT + 10_000L;
  private static final int UNBOUNDED = 1000;
  private static final DeviceAddress ALICE = DeviceAddress.first("alice");
  private static final DeviceAddress BOB = DeviceAddress.first("bob");

  private final MutableClock clock = new MutableClock(Instant.ofEpochMilli(SENT));
  private InMemoryDatabase db;
  private JpaMessageRepository messages;

  @BeforeEach
  void openDatabase() {
    db = InMemoryDatabase.open();
    db.addAccount("alice");
    db.addAccount("bob");
    messages = new JpaMessageRepository(db.database(), clock);
  }

  @AfterEach
  void closeDatabase() {
    db.close();
  }

  @Test
  void aMessageWhoseTimeToLiveEnded_isNotPending_thoughItIsStillStored() {
    messages.store(message("old", EXPIRES), UNBOUNDED);
    messages.store(message("new", EXPIRES + 1), UNBOUNDED);

    at(EXPIRES - 1);
    assertThat(messages.pending(BOB, 0, 10))
        .extracting(StoredMessage::id)
        .containsExactly("old", "new");
    at(EXPIRES);
    assertThat(messages.pending(BOB, 0, 10))
        .as("expired at its expiresAt, as the purge counts it")
        .extracting(StoredMessage::id)
        .containsExactly("new");
    assertThat(db.rows("SELECT message_id FROM relay_message")).as("not purged yet").hasSize(2);
  }

  /**
   * The catch-up reads a page at a time and stops at a short page: expired messages must be skipped
   * by the query, not dropped from a full page, or a backlog of them would end the catch-up early.
   */
  @Test
  void aBacklogOfExpiredMessages_doesNotHideTheLiveOnesBehindIt() {
    for (int i = 0; i < 40; i++) {
      messages.store(message("expired-" + i, EXPIRES), UNBOUNDED);
    }
    for (int i = 0; i < 3; i++) {
      messages.store(message("live-" + i, EXPIRES + 60_000), UNBOUNDED);
    }
    at(EXPIRES);

    assertThat(messages.pending(BOB, 0, 16))
        .extracting(StoredMessage::id)
        .containsExactly("live-0", "live-1", "live-2");
  }

  @Test
  void anAckOfAnExpiredCopy_changesNothing_andOwesTheSenderNoReceipt() {
    messages.store(message("m", EXPIRES), UNBOUNDED);
    at(EXPIRES);

    assertThat(messages.acknowledge(BOB, ALICE, "m", EXPIRES)).isFalse();

    assertThat(messages.receipts(ALICE, 10)).isEmpty();
    assertThat(db.rows("SELECT message_id FROM relay_message WHERE delivered_at IS NULL"))
        .as("left for the purge, undelivered")
        .hasSize(1);
    assertThat(messages.purgeExpired(EXPIRES)).isEqualTo(1);
  }

  @Test
  void aReceiptOwedForAMessageThatExpired_isNoLongerHandedOut() {
    messages.store(message("m", EXPIRES), UNBOUNDED);
    assertThat(messages.acknowledge(BOB, ALICE, "m", EXPIRES - 1)).isTrue();
    at(EXPIRES - 1);
    assertThat(messages.receipts(ALICE, 10)).containsExactly(new Receipt("m", "bob", 1));

    at(EXPIRES);

    assertThat(messages.receipts(ALICE, 10)).isEmpty();
  }

  /**
   * A fast-path message whose window ended is stored in the same batch as its late ack, as one
   * delivered row: not once the ack came after the message's expiry.
   */
  @Test
  void aLateAckInTheBatchOfItsStore_afterTheExpiry_isNotMergedIntoADeliveredRow() {
    List<Outcome> outcomes =
        messages.writeAll(
            List.of(
                new RelayWrite.Store(message("m", EXPIRES)),
                new RelayWrite.Acknowledge(BOB, ALICE, "m", EXPIRES)),
            UNBOUNDED);

    assertThat(outcomes).containsExactly(Outcome.STORED, Outcome.NO_MATCH);
    assertThat(messages.receipts(ALICE, 10)).isEmpty();
    assertThat(db.rows("SELECT envelope FROM relay_message WHERE delivered_at IS NULL"))
        .singleElement()
        .satisfies(row -> assertThat(row[0]).as("the envelope, as stored").isNotNull());
  }

  /** A copy to the sender's own device owes no receipt: its ack deletes it, expired or not. */
  @Test
  void anAckOfAnExpiredCopyToTheSendersOwnDevice_deletesIt() {
    DeviceAddress alice2 = new DeviceAddress("alice", 2);
    db.addDevice(alice2);
    messages.store(
        new StoredMessage(ALICE, "m", alice2, envelope("m"), SENT, EXPIRES, null), UNBOUNDED);
    at(EXPIRES);

    assertThat(messages.acknowledge(alice2, ALICE, "m", EXPIRES)).isTrue();

    assertThat(db.rows("SELECT message_id FROM relay_message")).isEmpty();
    assertThat(messages.receipts(ALICE, 10)).isEmpty();
  }

  private void at(long millis) {
    clock.advanceMillis(millis - clock.millis());
  }

  private static StoredMessage message(String id, long expiresAt) {
    return new StoredMessage(0, "alice", id, "bob", envelope(id), SENT, expiresAt);
  }

  private static byte[] envelope(String id) {
    return ("envelope of " + id).getBytes(StandardCharsets.UTF_8);
  }
}
