package com.securecom.client.it;

import com.securecom.client.e2e.LocalIdentity;
import com.securecom.client.e2e.LocalUser;
import com.securecom.client.e2e.MessagePayload;
import com.securecom.client.e2e.PeerIdentity;
import com.securecom.client.e2e.PreKeyBundle;
import com.securecom.client.e2e.PreKeyStore;
import com.securecom.client.e2e.SessionRecord;
import com.securecom.protocol.crypto.X25519;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The man in the middle a malicious registry puts in place: an identity, signed prekey and one-time
 * prekeys of its own, all validly signed by its own identity key (so no signature check can tell),
 * under the key ids a fresh client uses. It keeps the private halves, so it can read what a client
 * encrypts to them.
 */
final class Impostor implements PreKeyStore {
  private final SecureRandom random = new SecureRandom();
  private final LocalIdentity identity = LocalIdentity.generate(random);
  private final X25519.KeyPair signedPair = X25519.generate(random);
  private final PreKeyBundle.SignedPreKey signedPreKey =
      identity.signPreKey(1, java.time.Instant.now().getEpochSecond(), signedPair.publicKey());
  private final Map<Long, X25519.KeyPair> oneTimePreKeys = new TreeMap<>();

  Impostor() {
    for (long keyId = 1; keyId <= 10; keyId++) {
      oneTimePreKeys.put(keyId, X25519.generate(random));
    }
  }

  LocalIdentity identity() {
    return identity;
  }

  PreKeyBundle.SignedPreKey signedPreKey() {
    return signedPreKey;
  }

  Map<Long, X25519.KeyPair> oneTimePreKeys() {
    return Map.copyOf(oneTimePreKeys);
  }

  /**
   * Decrypts the first message a client sent to {@code victim} after the registry handed out these
   * keys.
   */
  MessagePayload read(String victim, byte[] envelope, String relayId, PeerIdentity sender)
      throws Exception {
    return new SessionRecord()
        .decrypt(
            envelope,
            relayId,
            new LocalUser(victim, identity, this, random),
            header -> sender,
            null)
        .payload();
  }

  @Override
  public Optional<X25519.KeyPair> signedPreKey(long keyId) {
    return keyId == signedPreKey.keyId() ? Optional.of(signedPair) : Optional.empty();
  }

  @Override
  public Optional<X25519.KeyPair> oneTimePreKey(long keyId) {
    return Optional.ofNullable(oneTimePreKeys.get(keyId));
  }

  @Override
  public void removeOneTimePreKey(long keyId) {
    oneTimePreKeys.remove(keyId);
  }
}
