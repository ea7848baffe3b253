package com.securecom.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The order in which a connected user gets the queue, live messages, receipts and "caught up". */
class DeliveryPumpTest {
  private final Queue queue = new Queue();
  private final Outbox out = new Outbox();

  @Test
  void theStoredQueue_thenTheReceipts_thenCaughtUp_allOfItInOrder() {
    queue.store(40);
    queue.receipts.add(new Receipt("r1", "carol", 1));
    DeliveryPump pump = new DeliveryPump(queue, out, 1_000);

    pump.start();

    assertThat(out.seen)
        .containsExactlyElementsOf(concat(ids(1, 40), List.of("receipt r1", "caughtUp")));
  }

  @Test
  void aLiveMessageDuringTheCatchUp_waitsUntilTheQueueWasSent() {
    queue.store(20);
    DeliveryPump pump = new DeliveryPump(queue, out, 1_000);
    out.onDeliver =
        id -> {
          if (id.equals("m3")) {
            pump.offer(queue.store()); // stored and offered while the queue is being read
          }
        };

    pump.start();
    pump.offer(queue.store());

    assertThat(out.seen).containsExactlyElementsOf(concat(ids(1, 21), List.of("caughtUp", "m22")));
  }

  @Test
  void tooManyLiveMessagesDuringTheCatchUp_areReadAgainFromTheStore_notLost() {
    queue.store(5);
    DeliveryPump pump = new DeliveryPump(queue, out, 250); // room for two 100-byte envelopes
    out.onDeliver =
        id -> {
          if (id.equals("m2")) {
            for (int i = 0; i < 4; i++) {
              pump.offer(queue.store());
            }
          }
        };

    pump.start();

    assertThat(out.seen)
        .containsSubsequence(ids(1, 9))
        .endsWith("caughtUp")
        .doesNotHaveDuplicates();
  }

  @Test
  void aFullConnection_pausesTheCatchUp_andItResumesAsTheClientReads() {
    queue.store(40);
    DeliveryPump pump = new DeliveryPump(queue, out, 1_000);
    out.room = 10;

    pump.start();
    assertThat(out.seen).containsExactlyElementsOf(ids(1, 10));
    assertThat(pump.shouldResume()).as("no room yet").isFalse();

    out.room = 100;
    assertThat(pump.shouldResume()).isTrue();
    assertThat(pump.shouldResume()).as("one resume per pause").isFalse();
    pump.resume();

    assertThat(out.seen).containsExactlyElementsOf(concat(ids(1, 40), List.of("caughtUp")));
  }

  /**
   * The race ClusterIT once lost: the other node's death is noticed while the first catch-up hands
   * out receipts (after it stopped holding messages back, before it ended). The recovery must still
   * run, and live messages must flow after it, not wait forever.
   */
  @Test
  void aRecoveryThatArrivesAsTheFirstCatchUpEnds_runsAndLiveMessagesStillArrive() {
    queue.store(3);
    queue.receipts.add(new Receipt("r1", "carol", 1));
    DeliveryPump pump = new DeliveryPump(queue, out, 1_000);
    out.onReceipt =
        receipt -> {
          if (out.count("receipt r1") == 1) {
            queue.store(); // stored by the node that died, never handed over
            pump.recover();
          }
        };

    pump.start();
    pump.offer(queue.store());

    assertThat(out.seen)
        .containsExactly("m1", "m2", "m3", "receipt r1", "caughtUp", "m4", "receipt r1", "m5");
  }

  @Test
  void aRecoveryAfterTheCatchUp_resendsWhatTheDeadNodeHeld_andHoldsLiveMessagesUntilThen() {
    queue.store(2);
    DeliveryPump pump = new DeliveryPump(queue, out, 1_000);
    pump.start();
    queue.store(); // m3: stored by the node that died, never handed over
    out.onDeliver =
        id -> {
          if (id.equals("m3")) {
            pump.offer(queue.store()); // m4 arrives live while the recovery reads the queue
          }
        };

    pump.recover();

    assertThat(out.seen).containsExactly("m1", "m2", "caughtUp", "m3", "m4");
  }

  @Test
  void aRecoveryDuringTheFirstCatchUp_readsTheQueueAgainBeforeCaughtUp() {
    queue.store(3);
    DeliveryPump pump = new DeliveryPump(queue, out, 1_000);
    out.onDeliver =
        id -> {
          if (id.equals("m2") && out.count("m2") == 1) {
            queue.store();
            pump.recover();
          }
        };

    pump.start();

    assertThat(out.seen)
        .containsSubsequence("m1", "m2", "m3", "m4", "caughtUp")
        .endsWith("caughtUp");
    assertThat(out.count("caughtUp")).isEqualTo(1);
  }

  @Test
  void liveMessagesAndRecoveriesFromOtherThreads_loseNothing() throws Exception {
    queue.store(200);
    DeliveryPump pump = new DeliveryPump(queue, out, 100_000);
    ExecutorService others = Executors.newFixedThreadPool(3);
    CountDownLatch go = new CountDownLatch(1);
    try {
      others.submit(
          () -> {
            go.await();
            for (int i = 0; i < 300; i++) {
              pump.offer(queue.store());
            }
            return null;
          });
      others.submit(
          () -> {
            go.await();
            for (int i = 0; i < 20; i++) {
              pump.recover();
              Thread.yield();
            }
            return null;
          });
      go.countDown();
      pump.start();
      others.shutdown();
      assertThat(others.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      others.shutdownNow();
    }
    pump.offer(queue.store());

    assertThat(out.seen).containsAll(ids(1, 501)).contains("caughtUp");
    assertThat(out.seen.get(out.seen.size() - 1))
        .as("the last live message is not held back")
        .isEqualTo("m501");
  }

  private static List<String> ids(int from, int to) {
    List<String> ids = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      ids.add("m" + i);
    }
    return ids;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** A recipient's stored queue, as the repository answers it: ordered by sequence number. */
  private static final class Queue implements DeliveryPump.Source {
    final List<StoredMessage> stored = new CopyOnWriteArrayList<>();
    final List<Receipt> receipts = new CopyOnWriteArrayList<>();

    synchronized StoredMessage store() {
      long seq = stored.size() + 1;
      StoredMessage m =
          new StoredMessage(seq, "alice", "m" + seq, "bob", new byte[100], seq, Long.MAX_VALUE);
      stored.add(m);
      return m;
    }

    void store(int n) {
      for (int i = 0; i < n; i++) {
        store();
      }
    }

    @Override
    public List<StoredMessage> queued(long afterSeq, int limit) {
      return stored.stream().filter(m -> m.seq() > afterSeq).limit(limit).toList();
    }

    @Override
    public List<Receipt> receiptsOwed() {
      return List.copyOf(receipts);
    }
  }

  /**
   * A connection that records what it sent; {@code room} entries fit before the client must read.
   * Like the real connection, it sends a message at most once (the pump may offer a message again:
   * one held back and read from the store, or read again by a recovery).
   */
  private static final class Outbox implements DeliveryPump.Outbox {
    final List<String> seen = new CopyOnWriteArrayList<>();
    volatile int room = Integer.MAX_VALUE;
    Consumer<String> onDeliver = id -> {};
    Consumer<Receipt> onReceipt = r -> {};

    long count(String entry) {
      return seen.stream().filter(entry::equals).count();
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public boolean hasRoom() {
      return seen.size() < room;
    }

    @Override
    public void deliver(StoredMessage message) {
      if (seen.contains(message.id())) {
        return;
      }
      seen.add(message.id());
      onDeliver.accept(message.id());
    }

    @Override
    public boolean deliverBeforeStore(StoredMessage message) {
      if (seen.contains(message.id())) {
        return false;
      }
      seen.add(message.id());
      return true;
    }

    @Override
    public void receipt(Receipt receipt) {
      seen.add("receipt " + receipt.id());
      onReceipt.accept(receipt);
    }

    @Override
    public void caughtUp() {
      seen.add("caughtUp");
    }

    @Override
    public void failed(RuntimeException cause) {
      throw new AssertionError("the queue could not be read", cause);
    }
  }
}
