package com.securecom.protocol.crypto;

import java.nio.ByteBuffer;

/**
 * What a user's Ed25519 identity key signs to vouch for its X25519 keys in the key registry. Each
 * message carries its own label, so that no signature can be presented as the other kind; a signed
 * prekey's signature also covers its key id and creation time, so the registry can neither pass one
 * prekey off under another id nor present an old prekey as new (clients refuse prekeys older than
 * they accept).
 */
public final class KeySignatures {
  private static final byte[] IDENTITY_DH_LABEL = Bytes.ascii("SecureCom identity DH key v1");
  private static final byte[] SIGNED_PREKEY_LABEL = Bytes.ascii("SecureCom signed prekey v2");

  private KeySignatures() {}

  /**
   * A signed prekey's signature covers {@code "SecureCom signed prekey v2" || u64(keyId) ||
   * u64(createdAt) || publicKey[32]}, with {@code createdAt} in seconds since 1970-01-01T00:00:00Z.
   */
  public static byte[] signedPreKeyMessage(long keyId, long createdAt, byte[] preKey) {
    return Bytes.concat(
        SIGNED_PREKEY_LABEL,
        ByteBuffer.allocate(16).putLong(keyId).putLong(createdAt).array(),
        preKey);
  }

  /**
   * The identity DH key's signature covers "SecureCom identity DH key v1" || its raw 32 public-key
   * bytes.
   */
  public static byte[] identityDhKeyMessage(byte[] identityDhKey) {
    return Bytes.concat(IDENTITY_DH_LABEL, identityDhKey);
  }

  public static boolean isSignedPreKey(
      byte[] identityKey, long keyId, long createdAt, byte[] preKey, byte[] signature) {
    return Ed25519.verify(identityKey, signedPreKeyMessage(keyId, createdAt, preKey), signature);
  }

  public static boolean isIdentityDhKey(
      byte[] identityKey, byte[] identityDhKey, byte[] signature) {
    return Ed25519.verify(identityKey, identityDhKeyMessage(identityDhKey), signature);
  }
}
