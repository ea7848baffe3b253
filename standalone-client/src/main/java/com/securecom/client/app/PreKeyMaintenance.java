package com.securecom.client.app;

import com.securecom.client.net.KeyDirectory;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Prekey upkeep: keeps this user's prekeys on the server usable: uploads one-time prekeys when the
 * pool runs low, rotates the signed prekey weekly. Private halves are saved before the public
 * halves are uploaded.
 */
final class PreKeyMaintenance {
  static final int PREKEY_LOW_WATER = 25;
  static final int PREKEY_BATCH = 75;
  static final Duration SIGNED_PREKEY_LIFETIME = Duration.ofDays(7);

  private final Vault vault;
  private final KeyDirectory keys;
  private final SecureRandom random;
  private final Clock clock;
  private final AtomicBoolean topUpRunning = new AtomicBoolean();

  PreKeyMaintenance(Vault vault, KeyDirectory keys, SecureRandom random, Clock clock) {
    this.vault = vault;
    this.keys = keys;
    this.random = random;
    this.clock = clock;
  }

  /** Runs the upkeep with the profile's token, on this thread. */
  void run() {
    run(vault.token(clock.instant()));
  }

  /**
   * The server says the one-time prekey pool runs low (someone fetched our bundle): runs the upkeep
   * on a thread of its own (the REST calls must not hold up the channel's reader), once at a time;
   * notices that arrive meanwhile are covered by the run under way, which reads the pool's count
   * first. A failure goes to {@code warnings}.
   */
  void runInBackground(Consumer<String> warnings) {
    if (!topUpRunning.compareAndSet(false, true)) {
      return;
    }
    Thread worker =
        new Thread(
            () -> {
              try {
                run();
              } catch (RuntimeException e) {
                warnings.accept("could not top up one-time prekeys: " + e.getMessage());
              } finally {
                topUpRunning.set(false);
              }
            },
            "securecom-prekey-top-up");
    worker.setDaemon(true);
    worker.start();
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
