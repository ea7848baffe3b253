package com.securecom.client.e2e;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.X25519;
import java.nio.ByteBuffer;

/**
 * The Double Ratchet header, sent in the clear and authenticated as associated data: {@code
 * ratchetKey [32] || previousCounter [4, uint32 BE] || counter [4, uint32 BE]}, 40 bytes.
 *
 * @param ratchetKey the sender's current ratchet public key (DHs)
 * @param previousCounter PN, the number of messages in the sender's previous sending chain
 * @param counter N, this message's number in the current sending chain
 */
public record MessageHeader(byte[] ratchetKey, long previousCounter, long counter) {
  public static final int BYTES = 40;

  /** The largest counter a uint32 holds. */
  public static final long MAX_COUNTER = 0xFFFF_FFFFL;

  public MessageHeader {
    if (ratchetKey.length != X25519.KEY_BYTES
        || previousCounter < 0
        || previousCounter > MAX_COUNTER
        || counter < 0
        || counter > MAX_COUNTER) {
      throw new IllegalArgumentException("header field out of range");
    }
  }

  public byte[] toBytes() {
    return ByteBuffer.allocate(BYTES)
        .put(ratchetKey)
        .putInt((int) previousCounter)
        .putInt((int) counter)
        .array();
  }

  /** Reads 40 bytes from {@code in}; the caller has checked that they are there. */
  static MessageHeader read(ByteBuffer in) {
    byte[] key = new byte[X25519.KEY_BYTES];
    in.get(key);
    long pn = Integer.toUnsignedLong(in.getInt());
    long n = Integer.toUnsignedLong(in.getInt());
    return new MessageHeader(key, pn, n);
  }

  @Override
  public String toString() {
    return "MessageHeader[ratchetKey="
        + Bytes.base64(ratchetKey)
        + ", pn="
        + previousCounter
        + ", n="
        + counter
        + "]";
  }
}
