package com.securecom.client.app;

import com.securecom.client.e2e.PreKeyBundle;
import com.securecom.protocol.DeviceIds;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.KeySignatures;
import com.securecom.protocol.crypto.X25519;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * Makes prekeys. Private halves go into the profile data first; the caller saves it before
 * uploading the public halves, so the server never hands out a prekey this client cannot answer.
 */
final class PreKeys {
  static final int KEPT_SIGNED_PREKEYS = 3;

  private PreKeys() {}

  /**
   * Generates {@code count} one-time prekeys into {@code data}; returns their public JSON for the
   * upload.
   */
  static JsonArrayBuilder generateOneTimePreKeys(ProfileData data, int count, SecureRandom random) {
    JsonArrayBuilder keys = Json.createArrayBuilder();
    for (int i = 0; i < count; i++) {
      long keyId = data.nextPreKeyId++;
      X25519.KeyPair pair = X25519.generate(random);
      data.oneTimePreKeys.put(keyId, pair);
      keys.add(
          Json.createObjectBuilder()
              .add("keyId", keyId)
              .add("publicKey", Bytes.base64(pair.publicKey())));
    }
    return keys;
  }

  /**
   * Adds a new signed prekey (keeping the last few for late messages); returns its JSON for the
   * upload.
   */
  static JsonObject rotateSignedPreKey(ProfileData data, SecureRandom random, Instant now) {
    long keyId = data.signedPreKeys.isEmpty() ? 1 : data.signedPreKeys.lastKey() + 1;
    X25519.KeyPair pair = X25519.generate(random);
    PreKeyBundle.SignedPreKey signed =
        data.identity.signPreKey(data.deviceId, keyId, now.getEpochSecond(), pair.publicKey());
    data.signedPreKeys.put(
        keyId, new ProfileData.SignedPreKeyEntry(keyId, pair, signed.signature(), now));
    while (data.signedPreKeys.size() > KEPT_SIGNED_PREKEYS) {
      data.signedPreKeys.pollFirstEntry();
    }
    return signedPreKeyJson(data.signedPreKeys.get(keyId));
  }

  /**
   * True if the entry's signature is of protocol v2 (over the label, key id, creation time and
   * key): an entry made before is re-signed as a new signed prekey at the next maintenance, since
   * no client accepts it any more.
   */
  static boolean isCurrentSignature(ProfileData data, ProfileData.SignedPreKeyEntry entry) {
    byte[] identityKey = data.identity.identityKey();
    long createdAt = entry.createdAt().getEpochSecond();
    byte[] preKey = entry.keyPair().publicKey();
    return data.deviceId == DeviceIds.FIRST
        ? KeySignatures.isSignedPreKey(
            identityKey, entry.keyId(), createdAt, preKey, entry.signature())
        : KeySignatures.isSignedPreKeyV3(
            identityKey, data.deviceId, entry.keyId(), createdAt, preKey, entry.signature());
  }

  static JsonObject signedPreKeyJson(ProfileData.SignedPreKeyEntry entry) {
    return Json.createObjectBuilder()
        .add("keyId", entry.keyId())
        .add("publicKey", Bytes.base64(entry.keyPair().publicKey()))
        .add("createdAt", entry.createdAt().getEpochSecond())
        .add("signature", Bytes.base64(entry.signature()))
        .build();
  }
}
