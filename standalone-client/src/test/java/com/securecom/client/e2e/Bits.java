package com.securecom.client.e2e;

/** Test helper for tamper tests: copies of byte arrays with one bit changed. */
final class Bits {
  private Bits() {}

  /** A copy of {@code bytes} with bit {@code bit} flipped (bit 0 is the low bit of byte 0). */
  static byte[] flip(byte[] bytes, int bit) {
    byte[] copy = bytes.clone();
    copy[bit / 8] ^= (byte) (1 << (bit % 8));
    return copy;
  }
}
