package com.securecom.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.server.testing.CountingPasswordHasher;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, findings 7 and 8: the bound on concurrent Argon2id, and failed logins that starved a
 * correct one.
 */
class HashGateTest {
  @Test
  void concurrentHashes_neverExceedTheBound() throws Exception {
    PasswordHasher hasher = new PasswordHasher(CountingPasswordHasher.CHEAP, 2, new SecureRandom());
    ExecutorService pool = Executors.newFixedThreadPool(12);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<String>> hashes = new ArrayList<>();
      for (int i = 0; i < 48; i++) {
        boolean priority = i % 3 == 0;
        hashes.add(
            pool.submit(
                () -> {
                  start.await();
                  return priority
                          && hasher.verify("correct horse battery staple", hasher.hash("x"), true)
                      ? "$argon2id$"
                      : hasher.hash("correct horse battery staple");
                }));
      }
      start.countDown();
      for (Future<String> hash : hashes) {
        assertThat(hash.get(60, TimeUnit.SECONDS)).startsWith("$argon2id$");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(hasher.peakConcurrentHashes()).isEqualTo(2);
  }

  @Test
  void ordinaryWork_neverTakesTheLastSlot_soUrgentWorkFindsOneFree() throws Exception {
    HashGate gate = new HashGate(2);
    gate.enter(false);
    Thread second =
        start(
            () -> {
              gate.enter(false);
              gate.leave(false);
            });
    awaitWaiting(List.of(second));
    assertThat(second.getState())
        .as("the second ordinary hash waits")
        .isEqualTo(Thread.State.WAITING);

    gate.enter(true); // does not block: the reserved slot is free
    gate.leave(true);
    gate.leave(false);
    second.join(10_000);
    assertThat(gate.peakOrdinary()).isEqualTo(1);
  }

  @Test
  void priorityWaiter_takesTheNextSlot_beforeEarlierOrdinaryWaiters() throws Exception {
    HashGate gate = new HashGate(1);
    gate.enter(false);
    List<String> order = new CopyOnWriteArrayList<>();
    List<Thread> waiters = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String name = "ordinary" + i;
      waiters.add(
          start(
              () -> {
                gate.enter(false);
                order.add(name);
                gate.leave(false);
              }));
    }
    awaitWaiting(waiters);
    Thread urgent =
        start(
            () -> {
              gate.enter(true);
              order.add("priority");
              gate.leave(true);
            });
    awaitWaiting(List.of(urgent));

    gate.leave(false);
    urgent.join(10_000);
    for (Thread t : waiters) {
      t.join(10_000);
    }

    assertThat(order).hasSize(6).first().isEqualTo("priority");
    assertThat(gate.peak()).isEqualTo(1);
  }

  private static Thread start(Runnable body) {
    Thread t = new Thread(body);
    t.start();
    return t;
  }

  private static void awaitWaiting(List<Thread> threads) throws InterruptedException {
    for (Thread t : threads) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
    }
  }
}
