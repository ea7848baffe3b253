package com.securecom.client.app;

import com.securecom.client.e2e.LocalIdentity;
import com.securecom.client.e2e.PeerIdentity;
import com.securecom.client.e2e.SafetyNumber;
import com.securecom.client.net.ApiException;
import com.securecom.client.net.ServerApi;
import com.securecom.protocol.crypto.Bytes;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Registration, login and logout, and what the user does with contacts: fingerprints and
 * verification.
 */
public final class Accounts {
  static final int INITIAL_ONE_TIME_PREKEYS = 100;
  private static final String DEVICE_REMOVED = "device_removed";

  private final ServerApi api;
  private final SecureRandom random;
  private final Clock clock;

  public Accounts(ServerApi api, SecureRandom random, Clock clock) {
    this.api = api;
    this.random = random;
    this.clock = clock;
  }

  /**
   * Creates the profile (keys first, so they are safe before the server knows them), registers,
   * logs in.
   *
   * @param expectedServerKey the operator's published key, or null to trust the key the server
   *     shows now (pinned)
   */
  public Vault register(
      Path dir, String username, String password, char[] passphrase, byte[] expectedServerKey)
      throws IOException {
    NewProfiles profiles = new NewProfiles(api, random, clock);
    byte[] serverKey =
        profiles.serverKey(
            expectedServerKey,
            "the server's key is not the one you were given; do not use this server");
    ProfileData data = new ProfileData();
    data.identity = LocalIdentity.generate(random);
    Vault vault =
        profiles.create(
            dir,
            username,
            serverKey,
            data,
            passphrase,
            preKeys ->
                api.register(
                    Json.createObjectBuilder()
                        .add("username", username)
                        .add("password", password)
                        .add("identityKey", Bytes.base64(data.identity.identityKey()))
                        .add(
                            "identityDhKey",
                            Json.createObjectBuilder()
                                .add("publicKey", Bytes.base64(data.identity.identityDhKey()))
                                .add(
                                    "signature", Bytes.base64(data.identity.identityDhSignature())))
                        .add("signedPreKey", preKeys.signedPreKey())
                        .add("oneTimePreKeys", preKeys.oneTimePreKeys())
                        .build()));
    login(vault, password);
    return vault;
  }

  static void deleteProfile(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Logs in as this profile's device with the password and keeps the token in the profile. Checks
   * the pinned server key first.
   *
   * @throws DeviceRemovedException if the server says the account no longer has this device
   */
  public Instant login(Vault vault, String password) {
    checkServerKey(vault);
    String username = vault.info().username();
    int device;
    synchronized (vault) {
      device = vault.data().deviceId;
    }
    JsonObject session;
    try {
      session = api.login(username, password, device);
    } catch (ApiException refused) {
      if (refused.status() == 403 && DEVICE_REMOVED.equals(refused.code())) {
        throw new DeviceRemovedException(username);
      }
      throw refused;
    }
    synchronized (vault) {
      vault.data().token = session.getString("token");
      vault.data().tokenExpiresAt = Instant.parse(session.getString("expiresAt"));
      vault.save();
      return vault.data().tokenExpiresAt;
    }
  }

  private void checkServerKey(Vault vault) {
    new NewProfiles(api, random, clock)
        .serverKey(
            vault.info().serverPublicKeyBytes(),
            "the server's key changed since this profile pinned it ("
                + vault.info().serverFingerprint()
                + "); refusing to log in");
  }

  /** Ends the session on the server (also closing its open connection) and forgets the token. */
  public void logout(Vault vault) {
    String token;
    synchronized (vault) {
      token = vault.data().token;
    }
    if (token != null) {
      try {
        api.logout(token);
      } catch (ApiException alreadyInvalid) {
        // an expired or revoked token is logged out already
      }
    }
    synchronized (vault) {
      vault.data().token = null;
      vault.data().tokenExpiresAt = null;
      vault.save();
    }
  }

  /**
   * The peer's contact, pinning their identity from the registry if this is the first time (first
   * use).
   */
  public Contact contact(Vault vault, String peer) {
    synchronized (vault) {
      PeerTrust trust = trust(vault);
      Contact known = trust.contact(peer).orElse(null);
      if (known != null) {
        return known;
      }
      if (!vault.data().hasValidToken(clock.instant())) {
        throw new NotLoggedInException("not logged in");
      }
      Contact pinned =
          trust.identities().pinIfNew(Identities.published(api, vault.data().token, peer));
      vault.save();
      return pinned;
    }
  }

  private PeerTrust trust(Vault vault) {
    return new PeerTrust(vault.data(), vault.info().username(), random);
  }

  /**
   * The 60-digit safety number of this user and {@code peer}'s pinned identity, as both of them see
   * it.
   */
  public SafetyNumber safetyNumber(Vault vault, String peer) {
    return safetyNumber(vault, contact(vault, peer).identity());
  }

  /**
   * The safety number with {@code peer}'s pending (new, not yet trusted) identity, if one is
   * pending.
   */
  public Optional<SafetyNumber> pendingSafetyNumber(Vault vault, String peer) {
    PeerIdentity pending = contact(vault, peer).pending();
    return pending == null ? Optional.empty() : Optional.of(safetyNumber(vault, pending));
  }

  private static SafetyNumber safetyNumber(Vault vault, PeerIdentity peer) {
    return SafetyNumber.of(
        vault.info().username(),
        vault.data().identity.identityKey(),
        peer.username(),
        peer.identityKey());
  }

  /**
   * The user compared safety numbers: marks {@code peer}'s identity verified. If a new identity is
   * pending, that one becomes the verified pin (its number is the one the user must have compared)
   * and the old pin's sessions are deleted.
   */
  public Contact verify(Vault vault, String peer) {
    contact(vault, peer);
    synchronized (vault) {
      Contact verified = trust(vault).verify(peer);
      vault.save();
      return verified;
    }
  }

  /**
   * Adopts {@code peer}'s pending identity without verifying it; the old pin's sessions are
   * deleted.
   *
   * @throws IllegalStateException if no identity is pending, or the current pin was verified (then
   *     only a comparison and {@link #verify} may adopt the new one)
   */
  public Contact accept(Vault vault, String peer) {
    contact(vault, peer);
    synchronized (vault) {
      Contact accepted = trust(vault).accept(peer);
      vault.save();
      return accepted;
    }
  }

  public List<Contact> contacts(Vault vault) {
    synchronized (vault) {
      return trust(vault).identities().contacts();
    }
  }
}
