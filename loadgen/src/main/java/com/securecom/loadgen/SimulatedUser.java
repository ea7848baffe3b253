package com.securecom.loadgen;

import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;

/**
 * One simulated user with its own connection. Payloads start with the intended send time (System.nanoTime, the
 * generator and its users share one JVM) and the sender's index, so the recipient can record latency and give the
 * sender's window back.
 */
abstract class SimulatedUser implements AutoCloseable {
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

  abstract void send(SimulatedUser to, byte[] payload);

  static byte[] payload(int size, long intendedNanos, int senderIndex) {
    ByteBuffer buffer = ByteBuffer.allocate(Math.max(size, 12));
    buffer.putLong(intendedNanos).putInt(senderIndex);
    return buffer.array();
  }

  /** Called with a payload that reached this user. */
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
