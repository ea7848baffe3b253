package com.securecom.server.account;

/**
 * Bounds how many password hashes run at once (each holds its Argon2id memory) and lets urgent work go first: a
 * waiting {@code priority} caller takes the next free slot before any other waiter. Logins from an address the user
 * is known to use are urgent, so a flood of failing guesses cannot make the real user wait for all of them.
 */
final class HashGate {
  private final int slots;
  private int busy;
  private int priorityWaiting;
  private int peak;

  HashGate(int slots) {
    if (slots < 1) {
      throw new IllegalArgumentException("at least one concurrent hash is needed");
    }
    this.slots = slots;
  }

  /** Waits for a slot (ignoring interrupts, which are restored on return). */
  synchronized void enter(boolean priority) {
    boolean interrupted = false;
    if (priority) {
      priorityWaiting++;
    }
    try {
      while (busy >= slots || (!priority && priorityWaiting > 0)) {
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
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  synchronized void leave() {
    busy--;
    notifyAll();
  }

  /** The most slots ever in use at once. */
  synchronized int peak() {
    return peak;
  }

  synchronized int busy() {
    return busy;
  }
}
