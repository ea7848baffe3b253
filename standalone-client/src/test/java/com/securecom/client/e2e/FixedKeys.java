package com.securecom.client.e2e;

import com.securecom.protocol.crypto.X25519;
import java.util.ArrayDeque;
import java.util.List;

/** A {@link KeySource} that hands out given key pairs in order, for reproducible sessions. */
final class FixedKeys implements KeySource {
  private final ArrayDeque<X25519.KeyPair> keys;

  FixedKeys(List<X25519.KeyPair> keys) {
    this.keys = new ArrayDeque<>(keys);
  }

  @Override
  public X25519.KeyPair next() {
    X25519.KeyPair next = keys.poll();
    if (next == null) {
      throw new IllegalStateException("the fixed key list is exhausted");
    }
    return next;
  }

  int remaining() {
    return keys.size();
  }
}
