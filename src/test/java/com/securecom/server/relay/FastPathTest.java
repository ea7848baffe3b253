package com.securecom.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.server.device.DeviceAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FastPathTest {
  private static final Clock T0 = Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC);

  private static FastPath fastPath(Duration window) {
    return fastPath(window, 64L << 20);
  }

  private static FastPath fastPath(Duration window, long maxBytes) {
    RelaySettings settings = new RelaySettings();
    settings.fastPathWindow = window;
    settings.fastPathMaxBytes = maxBytes;
    return new FastPath(settings, T0);
  }

  private static StoredMessage message(String id) {
    return message(id, 1);
  }

  private static StoredMessage message(String id, int envelopeBytes) {
    return new StoredMessage(0, "alice", id, "bob", new byte[envelopeBytes], 0, 1);
  }

  private static boolean ack(FastPath fast, String id) {
    return fast.acknowledge(DeviceAddress.first("bob"), DeviceAddress.first("alice"), id);
  }

  /** Counts which of the two ends each message got. */
  private static final class Ends implements FastPath.Waiting {
    final AtomicInteger acknowledged = new AtomicInteger();
    final AtomicInteger stored = new AtomicInteger();

    @Override
    public void acknowledged() {
      acknowledged.incrementAndGet();
    }

    @Override
    public void store() {
      stored.incrementAndGet();
    }
  }

  @Test
  void anAckWithinTheWindow_settlesWithoutAStore_andALaterWindowEndDoesNothing() {
    FastPath fast = fastPath(Duration.ofMillis(250));
    Ends ends = new Ends();
    assertThat(fast.await(message("m"), ends)).isTrue();

    assertThat(fast.acknowledge(DeviceAddress.first("bob"), DeviceAddress.first("alice"), "m"))
        .isTrue();
    fast.expireDue(Long.MAX_VALUE);

    assertThat(ends.acknowledged).hasValue(1);
    assertThat(ends.stored).hasValue(0);
    assertThat(fast.size()).isZero();
  }

  @Test
  void theWindowEnds_theMessageIsStored_andALateAckGoesToTheDatabase() {
    FastPath fast = fastPath(Duration.ofMillis(250));
    Ends ends = new Ends();
    fast.await(message("m"), ends);

    fast.expireDue(T0.millis() + 249);
    assertThat(ends.stored).hasValue(0);
    fast.expireDue(T0.millis() + 250);

    assertThat(ends.stored).hasValue(1);
    assertThat(fast.acknowledge(DeviceAddress.first("bob"), DeviceAddress.first("alice"), "m"))
        .isFalse();
    assertThat(ends.acknowledged).hasValue(0);
  }

  @Test
  void overTheByteBudget_aMessageIsNotTaken_andEveryWayOutOfTheWindowGivesItsBytesBack() {
    FastPath fast = fastPath(Duration.ofMillis(250), 3_000);
    Ends ends = new Ends();
    assertThat(fast.await(message("a", 1_000), ends)).isTrue();
    assertThat(fast.await(message("b", 1_000), ends)).isTrue();
    assertThat(fast.await(message("c", 1_000), ends)).isTrue();
    assertThat(fast.await(message("d", 1), ends)).as("one byte over").isFalse();
    assertThat(fast.bytesWaiting()).isEqualTo(3_000);
    assertThat(fast.refusedOverBudget()).isOne();

    ack(fast, "a");
    fast.cancel(message("b"));
    assertThat(fast.await(message("c", 1_000), ends)).as("waiting already").isFalse();
    assertThat(fast.bytesWaiting()).isEqualTo(1_000);
    assertThat(fast.refusedOverBudget()).as("a duplicate is not over the budget").isOne();
    fast.expireDue(T0.millis() + 250);

    assertThat(fast.bytesWaiting()).isZero();
    assertThat(fast.await(message("d", 3_000), ends)).isTrue();
  }

  @Test
  void anAckFromAnotherUser_orForAnotherSender_settlesNothing() {
    FastPath fast = fastPath(Duration.ofMillis(250));
    Ends ends = new Ends();
    fast.await(message("m"), ends);

    assertThat(fast.acknowledge(DeviceAddress.first("mallory"), DeviceAddress.first("alice"), "m"))
        .isFalse();
    assertThat(fast.acknowledge(DeviceAddress.first("bob"), DeviceAddress.first("mallory"), "m"))
        .isFalse();
    assertThat(fast.size()).isOne();
  }

  @Test
  void theSameMessageTwice_waitsOnce() {
    FastPath fast = fastPath(Duration.ofMillis(250));
    assertThat(fast.await(message("m"), new Ends())).isTrue();
    assertThat(fast.await(message("m"), new Ends())).isFalse();
  }

  @Test
  void cancelBeforeTheWindowEnds_leavesTheStoreToTheCaller_afterItTheStoreWasDone() {
    FastPath fast = fastPath(Duration.ofMillis(250));
    Ends ends = new Ends();
    fast.await(message("a"), ends);
    assertThat(fast.cancel(message("a"))).isTrue();
    fast.expireDue(Long.MAX_VALUE);
    assertThat(ends.stored).hasValue(0);

    fast.await(message("b"), ends);
    fast.expireDue(Long.MAX_VALUE);
    assertThat(fast.cancel(message("b"))).isFalse();
    assertThat(ends.stored).hasValue(1);
  }

  @Test
  void anAckRacingTheWindowsEnd_endsEachMessageExactlyOnce() throws Exception {
    FastPath fast = fastPath(Duration.ofMillis(250));
    int n = 20_000;
    Ends ends = new Ends();
    AtomicInteger acksToTheDatabase = new AtomicInteger();
    for (int i = 0; i < n; i++) {
      fast.await(message("m" + i), ends);
    }
    CountDownLatch go = new CountDownLatch(1);
    Thread acker =
        new Thread(
            () -> {
              await(go);
              for (int i = 0; i < n; i++) {
                if (!fast.acknowledge(
                    DeviceAddress.first("bob"), DeviceAddress.first("alice"), "m" + i)) {
                  acksToTheDatabase.incrementAndGet();
                }
              }
            });
    Thread sweeper =
        new Thread(
            () -> {
              await(go);
              fast.expireDue(Long.MAX_VALUE);
            });
    acker.start();
    sweeper.start();
    go.countDown();
    acker.join();
    sweeper.join();

    assertThat(ends.acknowledged.get() + ends.stored.get()).isEqualTo(n);
    assertThat(acksToTheDatabase.get()).isEqualTo(ends.stored.get());
    assertThat(fast.size()).isZero();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
