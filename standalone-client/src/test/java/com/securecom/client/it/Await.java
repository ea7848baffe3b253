package com.securecom.client.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for something that happens on another thread or in another process, and says what did not
 * happen.
 */
final class Await {
  private Await() {}

  static void until(Duration timeout, Supplier<String> whatWasSeen, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + "; " + whatWasSeen.get());
      }
      Thread.sleep(20);
    }
  }
}
