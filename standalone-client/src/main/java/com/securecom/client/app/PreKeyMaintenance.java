package com.securecom.client.app;

import com.securecom.client.net.KeyDirectory;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps this user's prekeys on the server usable: uploads one-time prekeys when the pool runs low, rotates the
 * signed prekey weekly. Private halves are saved before the public halves are uploaded.
 */
final class PreKeyMaintenance {
  static final int PREKEY_LOW_WATER = 25;
  static final int PREKEY_BATCH = 75;
  static final Duration SIGNED_PREKEY_LIFETIME = Duration.ofDays(7);

  private final Vault vault;
  private final KeyDirectory keys;
  private final SecureRandom random;
  private final Clock clock;

  PreKeyMaintenance(Vault vault, KeyDirectory keys, SecureRandom random, Clock clock) {
    this.vault = vault;
    this.keys = keys;
    this.random = random;
    this.clock = clock;
  }

  void run(String token) {
    int count = keys.oneTimePreKeyCount(token);
    if (count < PREKEY_LOW_WATER) {
      JsonArrayBuilder upload;
      synchronized (vault) {
        upload = PreKeys.generateOneTimePreKeys(vault.data(), PREKEY_BATCH, random);
        vault.save();
      }
      keys.uploadOneTimePreKeys(token, Json.createObjectBuilder().add("preKeys", upload).build());
    }
    JsonObject rotated = null;
    synchronized (vault) {
      ProfileData.SignedPreKeyEntry current = vault.data().currentSignedPreKey();
      Instant created = current.createdAt();
      if (created.plus(SIGNED_PREKEY_LIFETIME).isBefore(clock.instant())
          || !PreKeys.isCurrentSignature(vault.data(), current)) {
        rotated = PreKeys.rotateSignedPreKey(vault.data(), random, clock.instant());
        vault.save();
      }
    }
    if (rotated != null) {
      keys.rotateSignedPreKey(token, rotated);
    }
  }
}
