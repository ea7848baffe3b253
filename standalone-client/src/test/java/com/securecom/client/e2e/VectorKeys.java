package com.securecom.client.e2e;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.X25519;

/**
 * The vectors' fixed private keys: {@code SHA-256(ASCII "SecureCom test vector key: " || label)},
 * used as an X25519 private key or an Ed25519 seed. Published in the files; never use them for
 * anything else.
 */
final class VectorKeys {
  private VectorKeys() {}

  static byte[] privateKey(String label) {
    return Bytes.sha256(Bytes.ascii("SecureCom test vector key: " + label));
  }

  static X25519.KeyPair x25519(String label) {
    byte[] priv = privateKey(label);
    return new X25519.KeyPair(priv, X25519.publicKey(priv));
  }

  static Ed25519.KeyPair ed25519(String label) {
    byte[] priv = privateKey(label);
    return new Ed25519.KeyPair(priv, Ed25519.publicKey(priv));
  }
}
