package com.securecom.protocol.channel;

import com.securecom.protocol.crypto.internal.InsecureNonceAesGcm;
import java.nio.ByteBuffer;

/**
 * Seals the frames of one direction. Frame = counter(8, big-endian) || AES-256-GCM(ciphertext ||
 * tag) with nonce = direction(1) || 0x000000 || counter(8) and associated data = direction(1) ||
 * counter(8). The counter starts at 0 and only moves forward, so no nonce repeats under the
 * direction's key. Not thread-safe: callers serialise sends.
 */
final class FrameSealer {
  static final int HEADER_BYTES = 8;
  private final InsecureNonceAesGcm aead;
  private final Direction direction;
  private long counter;

  FrameSealer(byte[] key, Direction direction) {
    this.aead = new InsecureNonceAesGcm(key);
    this.direction = direction;
  }

  byte[] seal(byte[] plaintext) {
    if (counter == Long.MAX_VALUE) {
      throw new IllegalStateException("channel counter exhausted; reconnect");
    }
    long n = counter++;
    byte[] frame =
        aead.sealWithPrefix(
            HEADER_BYTES, nonce(direction, n), plaintext, associatedData(direction, n));
    ByteBuffer.wrap(frame).putLong(0, n);
    return frame;
  }

  static byte[] nonce(Direction direction, long counter) {
    return ByteBuffer.allocate(InsecureNonceAesGcm.NONCE_BYTES)
        .put(direction.wireByte())
        .put(new byte[3])
        .putLong(counter)
        .array();
  }

  static byte[] associatedData(Direction direction, long counter) {
    return ByteBuffer.allocate(1 + HEADER_BYTES).put(direction.wireByte()).putLong(counter).array();
  }
}
