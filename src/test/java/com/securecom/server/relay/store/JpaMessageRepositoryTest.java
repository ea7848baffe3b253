package com.securecom.server.relay.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DeviceQueues.Queued;
import com.securecom.server.relay.MessageRepository.Outcome;
import com.securecom.server.relay.MessageRepository.StoreResult;
import com.securecom.server.relay.QueueLimits;
import com.securecom.server.relay.Receipt;
import com.securecom.server.relay.RelayWrite;
import com.securecom.server.relay.StoredMessage;
import com.securecom.server.testing.InMemoryDatabase;
import com.securecom.server.testing.MutableClock;
import jakarta.persistence.PersistenceException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real repository over a fresh in-memory database. */
class JpaMessageRepositoryTest {
  private static final long SENT = 1_000_000L;
  private static final long EXPIRES = SENT + 10_000L;
  private static final int UNBOUNDED = 1000;
  private static final QueueLimits UNBOUNDED_LIMITS = QueueLimits.ofMessages(UNBOUNDED);
  private static final DeviceAddress ALICE = DeviceAddress.first("alice");
  private static final DeviceAddress BOB = DeviceAddress.first("bob");
  private static final DeviceAddress CAROL = DeviceAddress.first("carol");
  private static final DeviceAddress MALLORY = DeviceAddress.first("mallory");

  /** The repository's time: when the messages of these tests were sent (none has expired). */
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
  void storedMessages_arePendingInTheOrderTheyWereStored() {
    for (String id : List.of("m3", "m1", "m2")) {
      assertThat(messages.store(message("alice", id, "bob"), UNBOUNDED))
          .isEqualTo(StoreResult.STORED);
    }

    List<StoredMessage> pending = messages.pending(BOB, 0, 10);

    assertThat(pending).extracting(StoredMessage::id).containsExactly("m3", "m1", "m2");
    assertThat(pending)
        .extracting(StoredMessage::seq)
        .isSorted()
        .doesNotHaveDuplicates()
        .allMatch(seq -> seq > 0);
    StoredMessage first = pending.get(0);
    assertThat(first.sender()).isEqualTo("alice");
    assertThat(first.recipient()).isEqualTo("bob");
    assertThat(first.envelope()).isEqualTo(envelope("m3"));
    assertThat(first.sentAt()).isEqualTo(SENT);
    assertThat(first.expiresAt()).isEqualTo(EXPIRES);
    assertThat(messages.pending(ALICE, 0, 10)).as("nothing for the sender").isEmpty();
    assertThat(messages.countPending()).isEqualTo(3);
  }

  @Test
  void oneBatch_storesAcknowledgesAndForgets_andSaysWhatEachWriteDid() {
    messages.store(message("alice", "old", "bob"), UNBOUNDED);
    messages.store(message("alice", "seen", "bob"), UNBOUNDED);
    messages.acknowledge(BOB, ALICE, "seen", SENT + 1);

    List<Outcome> outcomes =
        messages.writeAll(
            List.of(
                new RelayWrite.Store(message("alice", "n1", "bob")),
                new RelayWrite.Acknowledge(BOB, ALICE, "old", SENT + 2),
                new RelayWrite.Store(message("alice", "n1", "bob")),
                new RelayWrite.Store(message("carol", "n1", "alice")),
                new RelayWrite.ForgetReceipt(ALICE, "seen"),
                new RelayWrite.Acknowledge(BOB, ALICE, "never-sent", SENT + 2),
                new RelayWrite.ForgetReceipt(ALICE, "n1")),
            UNBOUNDED);

    assertThat(outcomes)
        .containsExactly(
            Outcome.STORED,
            Outcome.APPLIED,
            Outcome.DUPLICATE,
            Outcome.STORED,
            Outcome.APPLIED,
            Outcome.NO_MATCH,
            Outcome.NO_MATCH);
    assertThat(messages.pending(BOB, 0, 10)).extracting(StoredMessage::id).containsExactly("n1");
    assertThat(messages.pending(ALICE, 0, 10))
        .extracting(StoredMessage::sender)
        .containsExactly("carol");
    assertThat(messages.receipts(ALICE, 10)).containsExactly(new Receipt("old", "bob", 1));
  }

  @Test
  void oneBatch_countsItsOwnStoresAgainstTheQueueLimit() {
    messages.store(message("carol", "m0", "bob"), 3);

    List<Outcome> outcomes =
        messages.writeAll(
            List.of(
                new RelayWrite.Store(message("carol", "m1", "bob")),
                new RelayWrite.Store(message("carol", "m2", "bob")),
                new RelayWrite.Store(message("carol", "m3", "bob")),
                new RelayWrite.Store(message("carol", "m0", "bob")),
                new RelayWrite.Store(message("carol", "m4", "alice"))),
            3);

    assertThat(outcomes)
        .as("m3 is over the limit; m0 is a duplicate even though the queue is full")
        .containsExactly(
            Outcome.STORED, Outcome.STORED, Outcome.QUEUE_FULL, Outcome.DUPLICATE, Outcome.STORED);
    assertThat(messages.pending(BOB, 0, 10))
        .extracting(StoredMessage::id)
        .containsExactly("m0", "m1", "m2");
  }

  @Test
  void aQueueThatLooksFull_isCountedAgain_beforeAMessageIsRefused() {
    for (int i = 0; i < 3; i++) {
      messages.store(message("carol", "m" + i, "bob"), 3);
    }
    // another node of a cluster delivers one of them: this node's remembered length is now too high
    db.database()
        .execute(
            em ->
                em.createNativeQuery(
                        "UPDATE relay_message SET envelope = NULL, delivered_at = 1 WHERE message_id = 'm0'")
                    .executeUpdate());

    assertThat(messages.store(message("carol", "m3", "bob"), 3)).isEqualTo(StoreResult.STORED);
    assertThat(messages.store(message("carol", "m4", "bob"), 3)).isEqualTo(StoreResult.QUEUE_FULL);
  }

  @Test
  void aBatchWithAnImpossibleWrite_failsAsAWhole_andChangesNothing() {
    List<RelayWrite> writes =
        List.of(
            new RelayWrite.Store(message("alice", "fine", "bob")),
            new RelayWrite.Store(message("alice", "to-nobody", "nobody")));

    assertThatThrownBy(() -> messages.writeAll(writes, UNBOUNDED))
        .isInstanceOf(PersistenceException.class);

    assertThat(messages.countPending()).isZero();
  }

  @Test
  void sameSenderIdRecipientAndEnvelope_isADuplicate_andTheFirstCopyStays() {
    messages.store(message("alice", "m1", "bob"), UNBOUNDED);

    StoredMessage retry =
        new StoredMessage(0, "alice", "m1", "bob", envelope("m1"), SENT + 1, EXPIRES + 1);

    assertThat(messages.store(retry, UNBOUNDED)).isEqualTo(StoreResult.DUPLICATE);
    assertThat(messages.pending(BOB, 0, 10))
        .singleElement()
        .satisfies(m -> assertThat(m.sentAt()).isEqualTo(SENT));
  }

  @Test
  void sameIdWithAnotherEnvelope_isIdReused_andNothingIsStored() {
    messages.store(message("alice", "m1", "bob"), UNBOUNDED);

    StoredMessage other =
        new StoredMessage(
            0,
            "alice",
            "m1",
            "bob",
            "other".getBytes(StandardCharsets.UTF_8),
            SENT + 1,
            EXPIRES + 1);

    assertThat(messages.store(other, UNBOUNDED)).isEqualTo(StoreResult.ID_REUSED);
    assertThat(messages.pending(BOB, 0, 10))
        .singleElement()
        .satisfies(m -> assertThat(m.envelope()).isEqualTo(envelope("m1")));
  }

  @Test
  void sameIdForAnotherRecipient_isIdReused_whetherOrNotTheFirstWasDelivered() {
    db.addAccount("carol");
    messages.store(message("alice", "m1", "bob"), UNBOUNDED);

    assertThat(messages.store(message("alice", "m1", "carol"), UNBOUNDED))
        .isEqualTo(StoreResult.ID_REUSED);
    messages.acknowledge(BOB, ALICE, "m1", SENT + 5);
    assertThat(messages.store(message("alice", "m1", "carol"), UNBOUNDED))
        .isEqualTo(StoreResult.ID_REUSED);
    assertThat(messages.pending(CAROL, 0, 10)).isEmpty();
  }

  @Test
  void reusedIdInOneBatch_isTheFirstStoredAndTheSecondRefused() {
    db.addAccount("carol");

    List<Outcome> outcomes =
        messages.writeAll(
            List.of(
                new RelayWrite.Store(message("alice", "m1", "bob")),
                new RelayWrite.Store(message("alice", "m1", "carol")),
                new RelayWrite.Store(message("alice", "m1", "bob"))),
            UNBOUNDED);

    assertThat(outcomes).containsExactly(Outcome.STORED, Outcome.ID_REUSED, Outcome.DUPLICATE);
  }

  @Test
  void idForgottenAfterItsReceipt_isANewMessage() {
    messages.store(message("alice", "m1", "bob"), UNBOUNDED);
    messages.acknowledge(BOB, ALICE, "m1", SENT + 5);
    messages.forgetReceipt(ALICE, "m1");

    assertThat(messages.store(message("alice", "m1", "bob"), UNBOUNDED))
        .isEqualTo(StoreResult.STORED);
    assertThat(messages.pending(BOB, 0, 10)).hasSize(1);
  }

  @Test
  void senderShare_refusesThatSenderOnly_andFreesAsTheRecipientReads() {
    db.addAccount("carol");
    QueueLimits limits =
        new QueueLimits(10, Long.MAX_VALUE, 3, Long.MAX_VALUE, 100, Long.MAX_VALUE);
    for (int i = 0; i < 3; i++) {
      assertThat(messages.store(message("carol", "c" + i, "bob"), limits))
          .isEqualTo(StoreResult.STORED);
    }

    assertThat(messages.store(message("carol", "c3", "bob"), limits))
        .isEqualTo(StoreResult.SENDER_SHARE_FULL);
    assertThat(messages.store(message("alice", "a0", "bob"), limits)).isEqualTo(StoreResult.STORED);
    assertThat(messages.store(message("carol", "c4", "alice"), limits))
        .isEqualTo(StoreResult.STORED);
    messages.acknowledge(BOB, CAROL, "c0", SENT + 1);
    assertThat(messages.store(message("carol", "c3", "bob"), limits)).isEqualTo(StoreResult.STORED);
  }

  /**
   * A new pair's share is first taken to be at most the recipient's whole queue (no count). That
   * bound counts other senders' messages too: it must never refuse a sender whose own share has
   * room, in one batch or from the remembered usage of an earlier one.
   */
  @Test
  void aShareBoundedByTheRecipientsQueue_isCountedBeforeItRefusesAnyone() {
    db.addAccount("carol");
    QueueLimits limits =
        new QueueLimits(100, Long.MAX_VALUE, 3, Long.MAX_VALUE, 100, Long.MAX_VALUE);
    messages.store(message("carol", "c0", "bob"), limits);
    messages.store(message("carol", "c1", "bob"), limits);

    assertThat(
            messages.writeAll(
                List.of(
                    new RelayWrite.Store(message("alice", "a0", "bob")),
                    new RelayWrite.Store(message("alice", "a1", "bob")),
                    new RelayWrite.Store(message("alice", "a2", "bob"))),
                limits))
        .containsExactly(Outcome.STORED, Outcome.STORED, Outcome.STORED);
    assertThat(messages.store(message("alice", "a3", "bob"), limits))
        .as("alice's own share is full now")
        .isEqualTo(StoreResult.SENDER_SHARE_FULL);
    assertThat(messages.store(message("carol", "c2", "bob"), limits))
        .as("carol's share has room")
        .isEqualTo(StoreResult.STORED);
    assertThat(messages.store(message("carol", "c3", "bob"), limits))
        .isEqualTo(StoreResult.SENDER_SHARE_FULL);
  }

  @Test
  void recipientByteBudget_isQueueFull_andTheSendersShareInBytesIsItsOwn() {
    db.addAccount("carol");
    int size = envelope("x0").length;
    QueueLimits limits = new QueueLimits(100, 4L * size, 100, 2L * size, 100, Long.MAX_VALUE);
    assertThat(messages.store(message("carol", "x0", "bob"), limits)).isEqualTo(StoreResult.STORED);
    assertThat(messages.store(message("carol", "x1", "bob"), limits)).isEqualTo(StoreResult.STORED);
    assertThat(messages.store(message("carol", "x2", "bob"), limits))
        .isEqualTo(StoreResult.SENDER_SHARE_FULL);
    assertThat(messages.store(message("alice", "x0", "bob"), limits)).isEqualTo(StoreResult.STORED);
    assertThat(messages.store(message("alice", "x1", "bob"), limits)).isEqualTo(StoreResult.STORED);

    JpaMessageRepository fresh = new JpaMessageRepository(db.database(), clock);
    assertThat(fresh.store(message("alice", "x2", "carol"), limits)).isEqualTo(StoreResult.STORED);
    db.addAccount("dave");
    assertThat(fresh.store(message("dave", "x0", "bob"), limits))
        .as("counted from the database")
        .isEqualTo(StoreResult.QUEUE_FULL);
  }

  @Test
  void senderQuota_countsEveryQueue_andMessagesWaitingForTheirReceipt() {
    db.addAccount("carol");
    QueueLimits limits =
        new QueueLimits(100, Long.MAX_VALUE, 100, Long.MAX_VALUE, 2, Long.MAX_VALUE);
    messages.store(message("alice", "q0", "bob"), limits);
    messages.store(message("alice", "q1", "carol"), limits);
    messages.acknowledge(BOB, ALICE, "q0", SENT + 1);

    assertThat(messages.store(message("alice", "q2", "bob"), limits))
        .isEqualTo(StoreResult.SENDER_QUOTA_FULL);
    assertThat(
            new JpaMessageRepository(db.database(), clock)
                .store(message("alice", "q2", "bob"), limits))
        .as("counted from the database")
        .isEqualTo(StoreResult.SENDER_QUOTA_FULL);
    messages.forgetReceipt(ALICE, "q0");
    assertThat(messages.store(message("alice", "q2", "bob"), limits)).isEqualTo(StoreResult.STORED);
  }

  @Test
  void retryOfAStoredMessage_isAcceptedAgain_evenWhenALimitIsReached() {
    QueueLimits limits =
        new QueueLimits(100, Long.MAX_VALUE, 1, Long.MAX_VALUE, 100, Long.MAX_VALUE);
    messages.store(message("alice", "r0", "bob"), limits);

    assertThat(messages.store(message("alice", "r0", "bob"), limits))
        .isEqualTo(StoreResult.DUPLICATE);
    assertThat(messages.store(message("alice", "r1", "bob"), limits))
        .isEqualTo(StoreResult.SENDER_SHARE_FULL);
  }

  @Test
  void sameIdFromAnotherSender_isNotADuplicate() {
    messages.store(message("alice", "m1", "bob"), UNBOUNDED);

    assertThat(messages.store(message("carol", "m1", "bob"), UNBOUNDED))
        .isEqualTo(StoreResult.STORED);
    assertThat(messages.pending(BOB, 0, 10))
        .extracting(StoredMessage::sender)
        .containsExactly("alice", "carol");
  }

  @Test
  void acknowledgedId_isStillADuplicate_untilItsReceiptIsForgotten() {
    messages.store(message("alice", "m1", "bob"), UNBOUNDED);
    messages.acknowledge(BOB, ALICE, "m1", SENT + 5);

    assertThat(messages.store(message("alice", "m1", "bob"), UNBOUNDED))
        .isEqualTo(StoreResult.DUPLICATE);
  }

  @Test
  void fullQueue_refusesTheNextMessage_andOnlyForThatRecipient() {
    for (int i = 0; i < 3; i++) {
      assertThat(messages.store(message("carol", "m" + i, "bob"), 3)).isEqualTo(StoreResult.STORED);
    }

    assertThat(messages.store(message("carol", "m3", "bob"), 3)).isEqualTo(StoreResult.QUEUE_FULL);
    assertThat(messages.store(message("carol", "m3", "alice"), 3)).isEqualTo(StoreResult.STORED);
    assertThat(messages.pending(BOB, 0, 10)).hasSize(3);
  }

  @Test
  void acknowledgedMessages_makeRoomInTheQueue() {
    for (int i = 0; i < 3; i++) {
      messages.store(message("carol", "m" + i, "bob"), 3);
    }

    messages.acknowledge(BOB, CAROL, "m0", SENT + 1);

    assertThat(messages.store(message("carol", "m3", "bob"), 3)).isEqualTo(StoreResult.STORED);
  }

  @Test
  void acknowledge_deletesTheEnvelope_andMarksTheMessageDelivered() {
    messages.store(message("alice", "m1", "bob"), UNBOUNDED);

    assertThat(messages.acknowledge(BOB, ALICE, "m1", SENT + 5)).isTrue();

    List<Object[]> rows =
        db.rows(
            "SELECT envelope, delivered_at FROM relay_message WHERE sender = ?1 AND message_id = ?2",
            "alice",
            "m1");
    assertThat(rows)
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row[0]).as("envelope").isNull();
              assertThat(((Number) row[1]).longValue()).as("delivered_at").isEqualTo(SENT + 5);
            });
    assertThat(messages.pending(BOB, 0, 10)).isEmpty();
    assertThat(messages.countPending()).isZero();
  }

  /**
   * A fast-path message whose window ended while the writer was behind: its store and its late
   * acknowledgement share a batch. The result must be exactly what the two writes in two batches
   * leave (delivered, envelope gone, receipt owed, the id held), written as one insert.
   */
  @Test
  void aStoreAndItsAcknowledgementInOneBatch_leaveWhatTheTwoBatchesWould() {
    List<Outcome> outcomes =
        messages.writeAll(
            List.of(
                new RelayWrite.Acknowledge(BOB, ALICE, "m2", SENT + 6),
                new RelayWrite.Store(message("alice", "m1", "bob")),
                new RelayWrite.Store(message("alice", "m2", "bob")),
                new RelayWrite.Store(message("alice", "m3", "bob")),
                new RelayWrite.Acknowledge(BOB, ALICE, "m1", SENT + 5),
                new RelayWrite.Acknowledge(BOB, ALICE, "m1", SENT + 7),
                new RelayWrite.Acknowledge(CAROL, ALICE, "m3", SENT + 5)),
            UNBOUNDED);

    assertThat(outcomes)
        .as("a second ack of m1, and an ack of m3 by someone else, find nothing to change")
        .containsExactly(
            Outcome.APPLIED,
            Outcome.STORED,
            Outcome.STORED,
            Outcome.STORED,
            Outcome.APPLIED,
            Outcome.NO_MATCH,
            Outcome.NO_MATCH);
    assertThat(
            db.rows(
                "SELECT message_id, envelope, delivered_at FROM relay_message ORDER BY message_id"))
        .satisfiesExactly(
            m1 -> {
              assertThat(m1[1]).as("m1's envelope").isNull();
              assertThat(((Number) m1[2]).longValue()).isEqualTo(SENT + 5);
            },
            m2 -> {
              assertThat(m2[1]).as("m2's envelope").isNull();
              assertThat(((Number) m2[2]).longValue()).isEqualTo(SENT + 6);
            },
            m3 -> assertThat(m3[2]).as("m3 is still undelivered").isNull());
    assertThat(messages.pending(BOB, 0, 10)).extracting(StoredMessage::id).containsExactly("m3");
    assertThat(messages.receipts(ALICE, 10))
        .containsExactlyInAnyOrder(new Receipt("m1", "bob", 1), new Receipt("m2", "bob", 1));
    assertThat(messages.store(message("alice", "m1", "bob"), UNBOUNDED))
        .as("the id is held until its receipt is forgotten")
        .isEqualTo(StoreResult.DUPLICATE);
    assertThat(messages.forgetReceipt(ALICE, "m1")).isTrue();
  }

  @Test
  void aRetryAndAnAcknowledgementInOneBatch_acknowledgeTheStoredCopy() {
    messages.store(message("alice", "m1", "bob"), UNBOUNDED);

    List<Outcome> outcomes =
        messages.writeAll(
            List.of(
                new RelayWrite.Store(message("alice", "m1", "bob")),
                new RelayWrite.Acknowledge(BOB, ALICE, "m1", SENT + 5)),
            UNBOUNDED);

    assertThat(outcomes).containsExactly(Outcome.DUPLICATE, Outcome.APPLIED);
    assertThat(messages.pending(BOB, 0, 10)).isEmpty();
    assertThat(messages.receipts(ALICE, 10)).containsExactly(new Receipt("m1", "bob", 1));
  }

  @Test
  void aStoreRefusedByALimit_leavesItsAcknowledgementInTheBatchWithNothingToChange() {
    messages.store(message("carol", "m0", "bob"), 1);

    List<Outcome> outcomes =
        messages.writeAll(
            List.of(
                new RelayWrite.Store(message("alice", "m1", "bob")),
                new RelayWrite.Acknowledge(BOB, ALICE, "m1", SENT + 5)),
            1);

    assertThat(outcomes).containsExactly(Outcome.QUEUE_FULL, Outcome.NO_MATCH);
    assertThat(messages.receipts(ALICE, 10)).isEmpty();
  }

  @Test
  void acknowledge_isTrueOnlyOnce() {
    messages.store(message("alice", "m1", "bob"), UNBOUNDED);

    assertThat(messages.acknowledge(BOB, ALICE, "m1", SENT + 5)).isTrue();
    assertThat(messages.acknowledge(BOB, ALICE, "m1", SENT + 6)).isFalse();

    assertThat(db.rows("SELECT delivered_at FROM relay_message WHERE message_id = ?1", "m1"))
        .extracting(row -> ((Number) row[0]).longValue())
        .as("the first delivery time stays")
        .containsExactly(SENT + 5);
  }

  @Test
  void acknowledge_byAnyoneButTheRecipient_isFalse_andChangesNothing() {
    messages.store(message("alice", "m1", "bob"), UNBOUNDED);

    assertThat(messages.acknowledge(ALICE, ALICE, "m1", SENT + 5)).isFalse();
    assertThat(messages.acknowledge(MALLORY, ALICE, "m1", SENT + 5)).isFalse();
    assertThat(messages.acknowledge(BOB, ALICE, "no-such-id", SENT + 5)).isFalse();

    assertThat(messages.pending(BOB, 0, 10))
        .singleElement()
        .satisfies(m -> assertThat(m.envelope()).isEqualTo(envelope("m1")));
    assertThat(messages.receipts(ALICE, 10)).isEmpty();
  }

  @Test
  void receipts_areOwedForAcknowledgedMessages_untilForgotten() {
    messages.store(message("alice", "m1", "bob"), UNBOUNDED);
    messages.store(message("alice", "m2", "bob"), UNBOUNDED);
    messages.store(message("alice", "m3", "bob"), UNBOUNDED);
    messages.acknowledge(BOB, ALICE, "m2", SENT + 1);
    messages.acknowledge(BOB, ALICE, "m1", SENT + 2);

    assertThat(messages.receipts(ALICE, 10))
        .as("oldest delivery first")
        .containsExactly(new Receipt("m2", "bob", 1), new Receipt("m1", "bob", 1));
    assertThat(messages.receipts(ALICE, 1)).containsExactly(new Receipt("m2", "bob", 1));
    assertThat(messages.receipts(BOB, 10)).as("receipts go to the sender").isEmpty();

    assertThat(messages.forgetReceipt(ALICE, "m2")).isTrue();
    assertThat(messages.forgetReceipt(ALICE, "m2")).isFalse();

    assertThat(messages.receipts(ALICE, 10)).containsExactly(new Receipt("m1", "bob", 1));
    assertThat(db.rows("SELECT message_id FROM relay_message ORDER BY seq"))
        .extracting(row -> row[0])
        .containsExactly("m1", "m3");
  }

  @Test
  void forgetReceipt_neverDeletesAnUndeliveredMessage() {
    messages.store(message("alice", "m1", "bob"), UNBOUNDED);

    assertThat(messages.forgetReceipt(ALICE, "m1")).isFalse();

    assertThat(messages.pending(BOB, 0, 10)).hasSize(1);
  }

  @Test
  void purgeExpired_deletesDeliveredAndUndeliveredMessagesPastTheirTtl_only() {
    messages.store(
        new StoredMessage(0, "alice", "old-pending", "bob", envelope("a"), SENT, SENT + 100),
        UNBOUNDED);
    messages.store(
        new StoredMessage(0, "alice", "old-delivered", "bob", envelope("b"), SENT, SENT + 100),
        UNBOUNDED);
    messages.store(
        new StoredMessage(0, "alice", "fresh", "bob", envelope("c"), SENT, SENT + 101), UNBOUNDED);
    messages.acknowledge(BOB, ALICE, "old-delivered", SENT + 1);

    assertThat(messages.purgeExpired(SENT + 100)).isEqualTo(2);

    assertThat(messages.pending(BOB, 0, 10)).extracting(StoredMessage::id).containsExactly("fresh");
    assertThat(messages.receipts(ALICE, 10)).isEmpty();
    assertThat(messages.purgeExpired(SENT + 100)).isZero();
  }

  @Test
  void pending_pagesThroughTheQueueWithAfterSeq() {
    List<String> ids = List.of("a", "b", "c", "d", "e");
    for (String id : ids) {
      messages.store(message("alice", id, "bob"), UNBOUNDED);
    }

    List<String> seen = new ArrayList<>();
    long after = 0;
    List<StoredMessage> page;
    int pages = 0;
    while (!(page = messages.pending(BOB, after, 2)).isEmpty()) {
      assertThat(page).hasSizeLessThanOrEqualTo(2);
      page.forEach(m -> seen.add(m.id()));
      after = page.get(page.size() - 1).seq();
      pages++;
    }

    assertThat(seen).containsExactlyElementsOf(ids);
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void pending_afterSeq_skipsAcknowledgedAndEarlierMessages() {
    for (String id : List.of("a", "b", "c", "d")) {
      messages.store(message("alice", id, "bob"), UNBOUNDED);
    }
    List<StoredMessage> all = messages.pending(BOB, 0, 10);
    messages.acknowledge(BOB, ALICE, "c", SENT + 1);

    assertThat(messages.pending(BOB, all.get(0).seq(), 10))
        .extracting(StoredMessage::id)
        .containsExactly("b", "d");
  }

  // Queues per device (linked devices, step 5 of docs/design/linked-devices.md)

  @Test
  void twoDevicesOfOneAccount_haveQueuesOfTheirOwn() {
    DeviceAddress bob2 = new DeviceAddress("bob", 2);
    db.addDevice(bob2);
    messages.store(copy(ALICE, "to-1", BOB), UNBOUNDED);
    messages.store(copy(ALICE, "to-2", bob2), UNBOUNDED);

    assertThat(messages.pending(BOB, 0, 10)).extracting(StoredMessage::id).containsExactly("to-1");
    assertThat(messages.pending(bob2, 0, 10))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.id()).isEqualTo("to-2");
              assertThat(m.to()).isEqualTo(bob2);
              assertThat(m.from()).isEqualTo(ALICE);
            });

    assertThat(messages.acknowledge(bob2, ALICE, "to-1", SENT + 1))
        .as("a device cannot acknowledge another device's copy")
        .isFalse();
    assertThat(messages.acknowledge(bob2, ALICE, "to-2", SENT + 1)).isTrue();
    assertThat(messages.pending(BOB, 0, 10)).extracting(StoredMessage::id).containsExactly("to-1");
    assertThat(messages.receipts(ALICE, 10)).containsExactly(new Receipt("to-2", "bob", 2));
  }

  @Test
  void idsAreUniquePerSendingDevice_andReceiptsGoToTheDeviceThatSent() {
    DeviceAddress alice2 = new DeviceAddress("alice", 2);
    db.addDevice(alice2);
    assertThat(messages.store(copy(ALICE, "same-id", BOB), UNBOUNDED))
        .isEqualTo(StoreResult.STORED);
    assertThat(messages.store(copy(alice2, "same-id", BOB), UNBOUNDED))
        .as("another device of the sender may use the same id")
        .isEqualTo(StoreResult.STORED);
    assertThat(messages.pending(BOB, 0, 10))
        .extracting(StoredMessage::senderDevice)
        .containsExactly(1, 2);

    messages.acknowledge(BOB, alice2, "same-id", SENT + 1);

    assertThat(messages.receipts(alice2, 10)).containsExactly(new Receipt("same-id", "bob", 1));
    assertThat(messages.receipts(ALICE, 10)).as("device 1's copy is still queued").isEmpty();
    assertThat(messages.forgetReceipt(ALICE, "same-id"))
        .as("device 1 cannot forget device 2's receipt")
        .isFalse();
    assertThat(messages.forgetReceipt(alice2, "same-id")).isTrue();
    assertThat(messages.pending(BOB, 0, 10)).extracting(StoredMessage::from).containsExactly(ALICE);
  }

  @Test
  void anIdOfOneDevice_cannotBeReusedForAnotherDeviceOfTheRecipient() {
    DeviceAddress bob2 = new DeviceAddress("bob", 2);
    db.addDevice(bob2);
    messages.store(copy(ALICE, "m1", BOB), UNBOUNDED);

    assertThat(messages.store(copy(ALICE, "m1", bob2), UNBOUNDED)).isEqualTo(StoreResult.ID_REUSED);
    assertThat(messages.store(copy(ALICE, "m1", BOB), UNBOUNDED)).isEqualTo(StoreResult.DUPLICATE);
    assertThat(messages.pending(bob2, 0, 10)).isEmpty();
  }

  @Test
  void aFullQueueOfOneDevice_doesNotFillTheOthers() {
    DeviceAddress bob2 = new DeviceAddress("bob", 2);
    db.addDevice(bob2);
    QueueLimits twoPerDevice = QueueLimits.ofMessages(2);
    messages.store(copy(ALICE, "a", bob2), twoPerDevice);
    messages.store(copy(CAROL, "b", bob2), twoPerDevice);

    assertThat(messages.store(copy(ALICE, "c", bob2), twoPerDevice))
        .isEqualTo(StoreResult.QUEUE_FULL);
    assertThat(messages.store(copy(ALICE, "d", BOB), twoPerDevice)).isEqualTo(StoreResult.STORED);
  }

  @Test
  void forgettingRemovedDevices_deletesTheirQueuesAndReceipts_andKeepsWhatTheySent() {
    DeviceAddress bob2 = new DeviceAddress("bob", 2);
    db.addDevice(bob2);
    messages.store(copy(ALICE, "queued-for-2", bob2), UNBOUNDED);
    messages.store(copy(ALICE, "read-by-2", bob2), UNBOUNDED);
    messages.acknowledge(bob2, ALICE, "read-by-2", SENT + 1);
    messages.store(copy(ALICE, "queued-for-1", BOB), UNBOUNDED);
    messages.store(copy(bob2, "sent-by-2", ALICE), UNBOUNDED);
    messages.store(copy(bob2, "delivered-from-2", ALICE), UNBOUNDED);
    messages.acknowledge(ALICE, bob2, "delivered-from-2", SENT + 1);

    assertThat(messages.forgetDevices("bob", List.of(2))).isEqualTo(2);

    assertThat(messages.pending(bob2, 0, 10)).isEmpty();
    assertThat(messages.receipts(bob2, 10)).as("receipts owed to the removed device").isEmpty();
    assertThat(messages.pending(BOB, 0, 10))
        .extracting(StoredMessage::id)
        .containsExactly("queued-for-1");
    assertThat(messages.pending(ALICE, 0, 10))
        .extracting(StoredMessage::id)
        .as("a message the removed device sent was accepted: it is still delivered")
        .containsExactly("sent-by-2");
    assertThat(messages.receipts(ALICE, 10))
        .as("the sender of a message the removed device read still gets its receipt")
        .containsExactly(new Receipt("read-by-2", "bob", 2));
  }

  @Test
  void theSizeOfADevicesQueue_countsItsUndeliveredCopiesAndTheirBytes() {
    DeviceAddress bob2 = new DeviceAddress("bob", 2);
    db.addDevice(bob2);
    messages.store(copy(ALICE, "one", bob2), UNBOUNDED);
    messages.store(copy(CAROL, "two", bob2), UNBOUNDED);
    messages.store(copy(ALICE, "read", bob2), UNBOUNDED);
    messages.acknowledge(bob2, ALICE, "read", SENT + 1);
    messages.store(copy(ALICE, "for-device-1", BOB), UNBOUNDED);

    assertThat(messages.queued(bob2))
        .isEqualTo(new Queued(2, envelope("one").length + envelope("two").length));
    assertThat(messages.queued(BOB)).isEqualTo(new Queued(1, envelope("for-device-1").length));
    assertThat(messages.queued(new DeviceAddress("bob", 3))).isEqualTo(new Queued(0, 0));
  }

  // A send to several devices (relay message version 4): all copies or none

  @Test
  void aSendToSeveralDevices_isStoredOnceInEachQueue() {
    DeviceAddress bob2 = new DeviceAddress("bob", 2);
    DeviceAddress alice2 = new DeviceAddress("alice", 2);
    db.addDevice(bob2);
    db.addDevice(alice2);

    Outcome outcome =
        storeSend(
            UNBOUNDED_LIMITS,
            copy(ALICE, "m", BOB),
            copy(ALICE, "m", bob2),
            copy(ALICE, "m", alice2));

    assertThat(outcome).isEqualTo(Outcome.STORED);
    for (DeviceAddress device : List.of(BOB, bob2, alice2)) {
      assertThat(messages.pending(device, 0, 10))
          .singleElement()
          .satisfies(m -> assertThat(m.from()).isEqualTo(ALICE));
    }
  }

  @Test
  void aRetriedSend_isADuplicate_evenOnceACopyWasDelivered_andStoresNothingMore() {
    DeviceAddress bob2 = new DeviceAddress("bob", 2);
    db.addDevice(bob2);
    storeSend(UNBOUNDED_LIMITS, copy(ALICE, "m", BOB), copy(ALICE, "m", bob2));
    messages.acknowledge(bob2, ALICE, "m", SENT + 1);

    assertThat(storeSend(UNBOUNDED_LIMITS, copy(ALICE, "m", BOB), copy(ALICE, "m", bob2)))
        .isEqualTo(Outcome.DUPLICATE);
    assertThat(messages.countPending()).isEqualTo(1);
  }

  @Test
  void anIdReusedForOtherCopies_isRefused_andStoresNothing() {
    DeviceAddress bob2 = new DeviceAddress("bob", 2);
    DeviceAddress bob3 = new DeviceAddress("bob", 3);
    db.addDevice(bob2);
    db.addDevice(bob3);
    storeSend(UNBOUNDED_LIMITS, copy(ALICE, "m", BOB), copy(ALICE, "m", bob2));
    messages.store(copy(ALICE, "single", BOB), UNBOUNDED);

    assertThat(storeSend(UNBOUNDED_LIMITS, copy(ALICE, "m", BOB)))
        .as("fewer copies")
        .isEqualTo(Outcome.ID_REUSED);
    assertThat(
            storeSend(
                UNBOUNDED_LIMITS,
                copy(ALICE, "m", BOB),
                copy(ALICE, "m", bob2),
                copy(ALICE, "m", bob3)))
        .as("more copies")
        .isEqualTo(Outcome.ID_REUSED);
    StoredMessage otherEnvelope =
        new StoredMessage(ALICE, "m", bob2, envelope("something else"), SENT, EXPIRES, null);
    assertThat(storeSend(UNBOUNDED_LIMITS, copy(ALICE, "m", BOB), otherEnvelope))
        .as("another envelope")
        .isEqualTo(Outcome.ID_REUSED);
    assertThat(storeSend(UNBOUNDED_LIMITS, copy(ALICE, "single", BOB), copy(ALICE, "single", bob2)))
        .as("the id of a single store")
        .isEqualTo(Outcome.ID_REUSED);
    assertThat(messages.store(copy(ALICE, "m", bob3), UNBOUNDED))
        .as("a single store under a send's id")
        .isEqualTo(StoreResult.ID_REUSED);
    assertThat(messages.pending(bob3, 0, 10)).isEmpty();
    assertThat(messages.countPending()).isEqualTo(3);
  }

  @Test
  void aSendWithOneCopyOverALimit_storesNoCopyAtAll() {
    DeviceAddress bob2 = new DeviceAddress("bob", 2);
    db.addDevice(bob2);
    QueueLimits onePerDevice = QueueLimits.ofMessages(1);
    messages.store(copy(CAROL, "fills-2", bob2), onePerDevice);

    assertThat(storeSend(onePerDevice, copy(ALICE, "m", BOB), copy(ALICE, "m", bob2)))
        .isEqualTo(Outcome.QUEUE_FULL);
    assertThat(messages.pending(BOB, 0, 10)).as("the copy that fitted is not stored").isEmpty();

    QueueLimits threeForTheSender =
        new QueueLimits(
            Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, 3, Long.MAX_VALUE);
    messages.store(copy(ALICE, "earlier", BOB), threeForTheSender);
    assertThat(
            storeSend(
                threeForTheSender,
                copy(ALICE, "n", BOB),
                copy(ALICE, "n", bob2),
                copy(ALICE, "n", CAROL)))
        .as("the copies count together against the sender's quota")
        .isEqualTo(Outcome.SENDER_QUOTA_FULL);
    assertThat(storeSend(threeForTheSender, copy(ALICE, "n", BOB), copy(ALICE, "n", bob2)))
        .isEqualTo(Outcome.STORED);
  }

  @Test
  void sendsAndSingleStoresInOneBatch_eachSayWhatTheyDid_andACopyCanBeAcknowledgedInIt() {
    DeviceAddress bob2 = new DeviceAddress("bob", 2);
    db.addDevice(bob2);

    List<Outcome> outcomes =
        messages.writeAll(
            List.of(
                new RelayWrite.StoreSend(List.of(copy(ALICE, "s", BOB), copy(ALICE, "s", bob2))),
                new RelayWrite.Store(copy(CAROL, "c", BOB)),
                new RelayWrite.Acknowledge(bob2, ALICE, "s", SENT + 1),
                new RelayWrite.StoreSend(List.of(copy(ALICE, "s", BOB), copy(ALICE, "s", bob2)))),
            UNBOUNDED_LIMITS);

    assertThat(outcomes)
        .containsExactly(Outcome.STORED, Outcome.STORED, Outcome.APPLIED, Outcome.DUPLICATE);
    assertThat(messages.pending(BOB, 0, 10))
        .extracting(StoredMessage::id)
        .containsExactly("c", "s");
    assertThat(messages.receipts(ALICE, 10)).containsExactly(new Receipt("s", "bob", 2));
  }

  @Test
  void theReceiptOfOneCopy_isForgottenAlone() {
    DeviceAddress bob2 = new DeviceAddress("bob", 2);
    db.addDevice(bob2);
    storeSend(UNBOUNDED_LIMITS, copy(ALICE, "m", BOB), copy(ALICE, "m", bob2));
    messages.acknowledge(BOB, ALICE, "m", SENT + 1);
    messages.acknowledge(bob2, ALICE, "m", SENT + 2);

    List<Outcome> outcomes =
        messages.writeAll(
            List.of(
                new RelayWrite.ForgetReceipt(ALICE, "m", bob2),
                new RelayWrite.ForgetReceipt(ALICE, "m", bob2),
                new RelayWrite.ForgetReceipt(ALICE, "m", CAROL)),
            UNBOUNDED_LIMITS);

    assertThat(outcomes).containsExactly(Outcome.APPLIED, Outcome.NO_MATCH, Outcome.NO_MATCH);
    assertThat(messages.receipts(ALICE, 10)).containsExactly(new Receipt("m", "bob", 1));
  }

  @Test
  void aSend_mustBeOneSendingDeviceAndIdWithOneCopyPerDevice() {
    assertThatThrownBy(() -> new RelayWrite.StoreSend(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new RelayWrite.StoreSend(List.of(copy(ALICE, "m", BOB), copy(ALICE, "m", BOB))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new RelayWrite.StoreSend(List.of(copy(ALICE, "m", BOB), copy(ALICE, "x", CAROL))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new RelayWrite.StoreSend(List.of(copy(ALICE, "m", BOB), copy(CAROL, "m", ALICE))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private Outcome storeSend(QueueLimits limits, StoredMessage... copies) {
    return messages.writeAll(List.of(new RelayWrite.StoreSend(List.of(copies))), limits).get(0);
  }

  private static StoredMessage copy(DeviceAddress from, String id, DeviceAddress to) {
    return new StoredMessage(from, id, to, envelope(id), SENT, EXPIRES, null);
  }

  private static StoredMessage message(String sender, String id, String recipient) {
    return new StoredMessage(0, sender, id, recipient, envelope(id), SENT, EXPIRES);
  }

  private static byte[] envelope(String id) {
    return ("ciphertext of " + id).getBytes(StandardCharsets.UTF_8);
  }
}
