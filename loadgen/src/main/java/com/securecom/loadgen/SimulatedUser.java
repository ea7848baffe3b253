package com.securecom.loadgen;

import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;

/**
 * One simulated user with its own connection. Payloads start with the intended send time
 * (System.nanoTime, the generator and its users share one JVM) and the sender's index, so the
 * recipient can record latency and give the sender's window back.
 */
abstract class SimulatedUser implements AutoCloseable {
  /** Bytes every payload starts with: the intended send time (8) and the sender's index (4). */
  static final int PAYLOAD_HEADER = 12;

  final String name;
  final int index;
  final Semaphore window;
  final Stats stats;
  SimulatedUser[] everyone;

  SimulatedUser(String name, int index, int window, Stats stats) {
    this.name = name;
    this.index = index;
    this.window = new Semaphore(window);
    this.stats = stats;
  }

  /**
   * Sends one message of {@code size} bytes to {@code to}; {@code intendedNanos} is when it should
   * have left.
   */
  abstract void send(SimulatedUser to, long intendedNanos, int size);

  /** Whether this user can send now (a relay user is not while it reconnects). */
  boolean connected() {
    return true;
  }

  /** A payload of {@code size} bytes (at least the header) for this sender. */
  ByteBuffer payload(int size, long intendedNanos) {
    ByteBuffer buffer = ByteBuffer.allocate(Math.max(size, PAYLOAD_HEADER));
    buffer.putLong(intendedNanos).putInt(index);
    return buffer;
  }

  /** Called with a payload that reached this user (once per message). */
  void received(byte[] payload, int offset) {
    ByteBuffer buffer = ByteBuffer.wrap(payload, offset, payload.length - offset);
    long sentAt = buffer.getLong();
    int sender = buffer.getInt();
    stats.latency((System.nanoTime() - sentAt) / 1000);
    if (sender >= 0 && sender < everyone.length) {
      everyone[sender].window.release();
    }
  }
}
