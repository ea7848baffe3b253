package com.securecom.server.keys;

import com.securecom.protocol.crypto.KeySignatures;

/** An X25519 prekey and the identity key's Ed25519 signature over its 32 raw public-key bytes. */
public record SignedPreKey(long keyId, byte[] publicKey, byte[] signature) {
  public boolean isSignedBy(byte[] identityKey) {
    return KeySignatures.isSignedPreKey(identityKey, publicKey, signature);
  }
}
