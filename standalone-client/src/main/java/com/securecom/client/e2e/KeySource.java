package com.securecom.client.e2e;

import com.securecom.protocol.crypto.X25519;
import java.security.SecureRandom;

/**
 * Where a session gets its fresh X25519 key pairs (the X3DH ephemeral key and every ratchet key).
 * Package-private on purpose: production code only ever uses {@link #from(SecureRandom)}; tests and
 * the vector generator inject fixed keys to make a conversation reproducible.
 */
@FunctionalInterface
interface KeySource {
  X25519.KeyPair next();

  static KeySource from(SecureRandom random) {
    return () -> X25519.generate(random);
  }
}
