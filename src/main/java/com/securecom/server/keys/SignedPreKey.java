package com.securecom.server.keys;

import com.securecom.protocol.crypto.KeySignatures;
import com.securecom.protocol.devices.SignedPreKeys;
import com.securecom.server.device.DeviceAddress;

/**
 * An X25519 prekey, when it was made ({@code createdAt}, seconds since the epoch) and the identity
 * key's Ed25519 signature over {@code "SecureCom signed prekey v2" || u64(keyId) || u64(createdAt)
 * || publicKey} ({@link KeySignatures#signedPreKeyMessage}).
 */
public record SignedPreKey(long keyId, byte[] publicKey, long createdAt, byte[] signature) {
  public boolean isSignedBy(byte[] identityKey) {
    return KeySignatures.isSignedPreKey(identityKey, keyId, createdAt, publicKey, signature);
  }

  /**
   * True if {@code identityKey} signed this key as device {@code deviceId}'s: for device 1 a
   * version 2 signature, which today's clients verify (they do not know version 3 yet); for any
   * other device a version 3 signature naming it, so that the registry cannot present one device's
   * key as another's.
   */
  public boolean isSignedFor(byte[] identityKey, int deviceId) {
    if (deviceId == DeviceAddress.FIRST_ID) {
      return isSignedBy(identityKey);
    }
    return SignedPreKeys.verifies(identityKey, deviceId, keyId, createdAt, publicKey, signature);
  }
}
