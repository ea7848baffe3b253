package com.securecom.protocol.crypto;

/** Test helper for tamper tests: copies of byte arrays with one bit changed. */
public final class Bits {
  private Bits() {}

  /** A copy of {@code bytes} with bit {@code bit} flipped (bit 0 is the low bit of byte 0). */
  public static byte[] flip(byte[] bytes, int bit) {
    byte[] copy = bytes.clone();
    copy[bit / 8] ^= (byte) (1 << (bit % 8));
    return copy;
  }
}
