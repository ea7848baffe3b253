package com.securecom.server.keys;

import com.securecom.protocol.crypto.KeySignatures;

/**
 * An X25519 prekey, when it was made ({@code createdAt}, seconds since the epoch) and the identity
 * key's Ed25519 signature over {@code "SecureCom signed prekey v2" || u64(keyId) || u64(createdAt)
 * || publicKey} ({@link KeySignatures#signedPreKeyMessage}).
 */
public record SignedPreKey(long keyId, byte[] publicKey, long createdAt, byte[] signature) {
  public boolean isSignedBy(byte[] identityKey) {
    return KeySignatures.isSignedPreKey(identityKey, keyId, createdAt, publicKey, signature);
  }
}
