package com.securecom.protocol.crypto;

import java.nio.ByteBuffer;

/**
 * What a user's Ed25519 identity key signs to vouch for its X25519 keys in the key registry. Each
 * message carries its own label, so that no signature can be presented as the other kind; a signed
 * prekey's signature also covers its key id and creation time, so the registry can neither pass one
 * prekey off under another id nor present an old prekey as new (clients refuse prekeys older than
 * they accept). Version 3 of the signed prekey message also names the device the prekey belongs to,
 * so that the registry cannot move a prekey from one device of an account to another; which version
 * a device may present is the devices package's rule ({@code SignedPreKeys}).
 */
public final class KeySignatures {
  private static final byte[] IDENTITY_DH_LABEL = Bytes.ascii("SecureCom identity DH key v1");
  private static final byte[] SIGNED_PREKEY_LABEL = Bytes.ascii("SecureCom signed prekey v2");
  private static final byte[] SIGNED_PREKEY_V3_LABEL = Bytes.ascii("SecureCom signed prekey v3");

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
   * A signed prekey's version 3 signature covers {@code "SecureCom signed prekey v3" ||
   * u32(deviceId) || u64(keyId) || u64(createdAt) || publicKey[32]}: version 2's message with the
   * id of the device whose prekey it is.
   *
   * @throws IllegalArgumentException if {@code deviceId} is negative (it would not be a u32)
   */
  public static byte[] signedPreKeyMessageV3(
      int deviceId, long keyId, long createdAt, byte[] preKey) {
    if (deviceId < 0) {
      throw new IllegalArgumentException("a device id is a positive number");
    }
    return Bytes.concat(
        SIGNED_PREKEY_V3_LABEL,
        ByteBuffer.allocate(20).putInt(deviceId).putLong(keyId).putLong(createdAt).array(),
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

  /**
   * True if {@code signature} is {@code identityKey}'s version 3 signature of this prekey for
   * device {@code deviceId}; false for a negative device id. Whether a device may also present a
   * version 2 signature is not this method's question.
   */
  public static boolean isSignedPreKeyV3(
      byte[] identityKey,
      int deviceId,
      long keyId,
      long createdAt,
      byte[] preKey,
      byte[] signature) {
    return deviceId >= 0
        && Ed25519.verify(
            identityKey, signedPreKeyMessageV3(deviceId, keyId, createdAt, preKey), signature);
  }

  public static boolean isIdentityDhKey(
      byte[] identityKey, byte[] identityDhKey, byte[] signature) {
    return Ed25519.verify(identityKey, identityDhKeyMessage(identityDhKey), signature);
  }
}
