package com.securecom.server.account;

/**
 * Bounds how many password hashes run at once (each holds its Argon2id memory) and keeps urgent
 * work from waiting behind a flood: a waiting {@code priority} caller takes the next free slot
 * before any other waiter, and ordinary callers never hold the last slot (when there are two or
 * more), so a priority caller finds one free at once, on a core that the flood does not occupy.
 * Logins from an address the user is known to use are urgent; failed guesses from elsewhere are
 * ordinary.
 */
final class HashGate {
  private final int slots;
  private final int ordinarySlots;
  private int busy;
  private int busyOrdinary;
  private int priorityWaiting;
  private int peak;
  private int peakOrdinary;

  HashGate(int slots) {
    if (slots < 1) {
      throw new IllegalArgumentException("at least one concurrent hash is needed");
    }
    this.slots = slots;
    this.ordinarySlots = slots == 1 ? 1 : slots - 1;
  }

  /** Waits for a slot (ignoring interrupts, which are restored on return). */
  synchronized void enter(boolean priority) {
    boolean interrupted = false;
    if (priority) {
      priorityWaiting++;
    }
    try {
      while (busy >= slots
          || (!priority && (priorityWaiting > 0 || busyOrdinary >= ordinarySlots))) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (priority) {
        priorityWaiting--;
      }
    }
    busy++;
    peak = Math.max(peak, busy);
    if (!priority) {
      busyOrdinary++;
      peakOrdinary = Math.max(peakOrdinary, busyOrdinary);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  synchronized void leave(boolean priority) {
    busy--;
    if (!priority) {
      busyOrdinary--;
    }
    notifyAll();
  }

  /** The most slots ever in use at once. */
  synchronized int peak() {
    return peak;
  }

  /** The most slots ever held by ordinary callers at once. */
  synchronized int peakOrdinary() {
    return peakOrdinary;
  }
}
