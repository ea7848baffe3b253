package com.securecom.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.server.device.DeviceAddress;
import com.securecom.server.relay.MessageRepository.Outcome;
import com.securecom.server.relay.store.JpaMessageRepository;
import com.securecom.server.testing.InMemoryDatabase;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Group commit over the real repository and a fresh in-memory database. */
class GroupCommitTest {
  private InMemoryDatabase db;
  private JpaMessageRepository messages;
  private GroupCommit writes;
  private final CountingMetrics metrics = new CountingMetrics();
  private final List<String> settled = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() {
    db = InMemoryDatabase.open();
    db.addAccount("alice");
    db.addAccount("bob");
    messages = new JpaMessageRepository(db.database(), Clock.systemUTC());
    RelaySettings settings = new RelaySettings();
    settings.maxQueue = 10_000;
    settings.maxQueueBytes = Long.MAX_VALUE;
    settings.maxQueuePerSender = 10_000;
    settings.maxQueueBytesPerSender = Long.MAX_VALUE;
    settings.maxSenderMessages = 10_000;
    settings.maxSenderBytes = Long.MAX_VALUE;
    writes = new GroupCommit(messages, settings, metrics);
    writes.threads = new PlainThreads();
    writes.start();
  }

  @AfterEach
  void stop() {
    writes.stop();
    db.close();
  }

  @Test
  void continuationsRunAfterTheCommit_inSubmissionOrder_andABarrierAfterAllOfThem()
      throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    int n = 2_000;
    for (int i = 0; i < n; i++) {
      String id = "m" + i;
      writes.submit(
          new RelayWrite.Store(message(id)),
          outcome -> {
            assertThat(messages.pending(DeviceAddress.first("bob"), 0, n))
                .as("committed before its continuation")
                .anyMatch(m -> m.id().equals(id));
            settled.add(id + ":" + outcome);
          });
    }
    writes.afterPending(
        () -> {
          settled.add("barrier");
          done.countDown();
        });

    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(settled).hasSize(n + 1).endsWith("barrier");
    for (int i = 0; i < n; i++) {
      assertThat(settled.get(i)).isEqualTo("m" + i + ":STORED");
    }
    assertThat(metrics.writes).isEqualTo(n);
    assertThat(metrics.commits).as("writes share transactions").isLessThan(n);
  }

  @Test
  void aWriteThatCannotCommit_failsAlone_andTheRestOfItsBatchCommits() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    // queue the writes behind a slow first one so that they share a batch
    writes.afterPending(() -> sleep(200));
    writes.submit(
        new RelayWrite.Store(message("before")), outcome -> settled.add("before:" + outcome));
    writes.submit(
        new RelayWrite.Store(
            new StoredMessage(0, "alice", "to-nobody", "nobody", bytes("x"), 1, 2)),
        outcome -> settled.add("to-nobody:" + outcome));
    writes.submit(
        new RelayWrite.Store(message("after")), outcome -> settled.add("after:" + outcome));
    writes.afterPending(done::countDown);

    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(settled).containsExactly("before:STORED", "to-nobody:FAILED", "after:STORED");
    assertThat(messages.pending(DeviceAddress.first("bob"), 0, 10))
        .extracting(StoredMessage::id)
        .containsExactly("before", "after");
  }

  @Test
  void afterStop_writesFailAtOnce_andAreNotStored() {
    writes.stop();

    writes.submit(new RelayWrite.Store(message("late")), outcome -> settled.add("late:" + outcome));

    assertThat(settled).containsExactly("late:" + Outcome.FAILED);
    assertThat(messages.countPending()).isZero();
  }

  private static StoredMessage message(String id) {
    return new StoredMessage(0, "alice", id, "bob", bytes(id), 1, Long.MAX_VALUE);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Counts what the group commit reports; the real metrics need a MicroProfile registry. */
  static final class CountingMetrics extends RelayMetrics {
    volatile long commits;
    volatile long writes;

    @Override
    void committed(int n) {
      commits++;
      writes += n;
    }
  }

  /** The container's managed thread factory, minus the container. */
  static final class PlainThreads implements ManagedThreadFactory {
    @Override
    public Thread newThread(Runnable r) {
      return new Thread(r);
    }

    @Override
    public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
      throw new UnsupportedOperationException();
    }
  }
}
