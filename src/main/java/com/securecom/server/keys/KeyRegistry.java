package com.securecom.server.keys;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The key registry. Guarantees: an identity DH key and a signed prekey are stored only if the user's identity key
 * signed them; a one-time
 * prekey is handed out at most once; a user's pool never holds more than {@code securecom.keys.max-one-time-prekeys}.
 */
@ApplicationScoped
public class KeyRegistry {
  private KeyRepository keys;
  private Clock clock;
  private int maxOneTimePreKeys;

  protected KeyRegistry() {}

  @Inject
  public KeyRegistry(KeyRepository keys, Clock clock,
      @ConfigProperty(name = "securecom.keys.max-one-time-prekeys", defaultValue = "100") int maxOneTimePreKeys) {
    this.keys = keys;
    this.clock = clock;
    this.maxOneTimePreKeys = maxOneTimePreKeys;
  }

  public int maxOneTimePreKeys() {
    return maxOneTimePreKeys;
  }

  /** Publishes a new user's keys; runs inside the caller's transaction when there is one. */
  public void publish(String username, IdentityKeys identity, SignedPreKey signedPreKey,
      List<OneTimePreKey> oneTimePreKeys) {
    if (!identity.dhKeyIsSigned()) {
      throw InvalidKeySignatureException.identityDhKey();
    }
    if (!signedPreKey.isSignedBy(identity.signingKey())) {
      throw InvalidKeySignatureException.signedPreKey();
    }
    if (oneTimePreKeys.size() > maxOneTimePreKeys) {
      throw PreKeyPoolException.overfull(0, oneTimePreKeys.size(), maxOneTimePreKeys);
    }
    requireDistinctIds(oneTimePreKeys);
    keys.saveIdentityKeys(username, identity);
    keys.saveSignedPreKey(username, signedPreKey, clock.millis());
    if (!keys.addOneTimePreKeys(username, oneTimePreKeys)) {
      throw PreKeyPoolException.duplicateKeyId();
    }
  }

  public void rotateSignedPreKey(String username, SignedPreKey signedPreKey) {
    IdentityKeys identity = keys.identityKeys(username).orElseThrow(UnknownUserException::new);
    if (!signedPreKey.isSignedBy(identity.signingKey())) {
      throw InvalidKeySignatureException.signedPreKey();
    }
    keys.saveSignedPreKey(username, signedPreKey, clock.millis());
  }

  public void addOneTimePreKeys(String username, List<OneTimePreKey> oneTimePreKeys) {
    requireDistinctIds(oneTimePreKeys);
    long stored = keys.countOneTimePreKeys(username);
    if (stored + oneTimePreKeys.size() > maxOneTimePreKeys) {
      throw PreKeyPoolException.overfull(stored, oneTimePreKeys.size(), maxOneTimePreKeys);
    }
    if (!keys.addOneTimePreKeys(username, oneTimePreKeys)) {
      throw PreKeyPoolException.duplicateKeyId();
    }
  }

  private static void requireDistinctIds(List<OneTimePreKey> keys) {
    if (keys.stream().map(OneTimePreKey::keyId).distinct().count() != keys.size()) {
      throw PreKeyPoolException.duplicateKeyId();
    }
  }

  /** The user's bundle, consuming one one-time prekey if any is left. */
  public PreKeyBundle bundleFor(String username) {
    IdentityKeys identity = keys.identityKeys(username).orElseThrow(UnknownUserException::new);
    SignedPreKey signedPreKey = keys.signedPreKey(username).orElseThrow(UnknownUserException::new);
    return new PreKeyBundle(identity, signedPreKey, keys.takeOneTimePreKey(username));
  }

  public long oneTimePreKeyCount(String username) {
    return keys.countOneTimePreKeys(username);
  }

  public Optional<IdentityKeys> identityKeys(String username) {
    return keys.identityKeys(username);
  }
}
