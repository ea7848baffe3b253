package com.securecom.protocol.devices;

import com.securecom.protocol.DeviceIds;
import com.securecom.protocol.crypto.KeySignatures;

/**
 * Which signed prekey signatures a device may present (docs/protocol.md, "Device lists"). Version 3
 * names the device ({@link KeySignatures#signedPreKeyMessageV3}); version 2 names none, and only
 * device 1 can have made one (it is the only device an account had before version 3, and ids are
 * never reused), so it is valid for device 1 only. So the registry cannot present one device's
 * prekey as another's.
 */
public final class SignedPreKeys {
  private SignedPreKeys() {}

  /**
   * True if {@code signature} vouches for this prekey as device {@code deviceId}'s: a version 3
   * signature for {@code deviceId}, or, for device 1, also a version 2 one. False for an invalid
   * device id.
   */
  public static boolean verifies(
      byte[] identityKey,
      int deviceId,
      long keyId,
      long createdAt,
      byte[] preKey,
      byte[] signature) {
    if (!DeviceIds.isValid(deviceId)) {
      return false;
    }
    return KeySignatures.isSignedPreKeyV3(
            identityKey, deviceId, keyId, createdAt, preKey, signature)
        || (deviceId == DeviceIds.FIRST
            && KeySignatures.isSignedPreKey(identityKey, keyId, createdAt, preKey, signature));
  }
}
