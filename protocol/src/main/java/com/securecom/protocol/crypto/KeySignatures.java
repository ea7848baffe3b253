package com.securecom.protocol.crypto;

/**
 * What a user's Ed25519 identity key signs to vouch for its X25519 keys in the key registry. The identity DH key's
 * message carries a label so that it can never be presented as a signed prekey, or the reverse.
 */
public final class KeySignatures {
  private static final byte[] IDENTITY_DH_LABEL = Bytes.ascii("SecureCom identity DH key v1");

  private KeySignatures() {}

  /** A signed prekey's signature covers its raw 32 public-key bytes. */
  public static byte[] signedPreKeyMessage(byte[] preKey) {
    return preKey.clone();
  }

  /** The identity DH key's signature covers "SecureCom identity DH key v1" || its raw 32 public-key bytes. */
  public static byte[] identityDhKeyMessage(byte[] identityDhKey) {
    return Bytes.concat(IDENTITY_DH_LABEL, identityDhKey);
  }

  public static boolean isSignedPreKey(byte[] identityKey, byte[] preKey, byte[] signature) {
    return Ed25519.verify(identityKey, signedPreKeyMessage(preKey), signature);
  }

  public static boolean isIdentityDhKey(byte[] identityKey, byte[] identityDhKey, byte[] signature) {
    return Ed25519.verify(identityKey, identityDhKeyMessage(identityDhKey), signature);
  }
}
