package com.securecom.client.app;

import com.securecom.client.net.ServerApi;
import com.securecom.client.store.ProfileInfo;
import com.securecom.protocol.crypto.Bytes;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * What registering an account and linking a device share: the server's key checked against the one
 * expected, and a new profile written, keys and prekeys first, so they are safe before the server
 * knows them, then deleted again if the server refuses it.
 */
final class NewProfiles {
  private final ServerApi api;
  private final SecureRandom random;
  private final Clock clock;

  NewProfiles(ServerApi api, SecureRandom random, Clock clock) {
    this.api = api;
    this.random = random;
    this.clock = clock;
  }

  /**
   * The key the server shows now.
   *
   * @param expected the key it must show, or null to take the one it shows (to pin it)
   * @param otherwise what the user is told if it shows another
   * @throws UntrustedServerException if it shows another than {@code expected}
   */
  byte[] serverKey(byte[] expected, String otherwise) {
    byte[] shown = Bytes.fromBase64(api.serverKey().getString("publicKey"));
    if (expected != null && !MessageDigest.isEqual(expected, shown)) {
      throw new UntrustedServerException(otherwise);
    }
    return shown;
  }

  /**
   * A profile in {@code dir} for {@code username} of the server with key {@code serverKey}, holding
   * {@code data} (its identity set) with a new signed prekey and {@link
   * Accounts#INITIAL_ONE_TIME_PREKEYS} one-time prekeys; then {@code announce} tells the server of
   * it with their public halves. If the server refuses, the profile is deleted again.
   *
   * @return the open profile
   * @throws RuntimeException what {@code announce} throws, after the profile was deleted
   */
  Vault create(
      Path dir,
      String username,
      byte[] serverKey,
      ProfileData data,
      char[] passphrase,
      Consumer<PublicPreKeys> announce)
      throws IOException {
    JsonObject signedPreKey = PreKeys.rotateSignedPreKey(data, random, clock.instant());
    JsonArrayBuilder oneTimePreKeys =
        PreKeys.generateOneTimePreKeys(data, Accounts.INITIAL_ONE_TIME_PREKEYS, random);
    Vault vault =
        Vault.create(
            dir,
            ProfileInfo.of(api.server(), username, serverKey, clock.instant()),
            passphrase,
            data);
    try {
      announce.accept(new PublicPreKeys(signedPreKey, oneTimePreKeys));
    } catch (RuntimeException refused) {
      vault.close();
      Accounts.deleteProfile(dir);
      throw refused;
    }
    return vault;
  }

  /** The public halves of a new profile's prekeys, as the REST API takes them. */
  record PublicPreKeys(JsonObject signedPreKey, JsonArrayBuilder oneTimePreKeys) {}
}
