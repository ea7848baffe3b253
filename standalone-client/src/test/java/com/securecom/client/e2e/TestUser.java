package com.securecom.client.e2e;

import com.securecom.protocol.crypto.X25519;
import java.security.SecureRandom;

/**
 * A registered user for tests: identity, signed prekey, a prekey store, and bundles as the registry
 * would serve.
 */
final class TestUser {
  final String name;
  final LocalIdentity identity;
  final InMemoryPreKeyStore preKeys = new InMemoryPreKeyStore();
  final SecureRandom random;
  private final long signedPreKeyId = 1;
  private long nextOneTimePreKeyId = 100;

  TestUser(String name, SecureRandom random) {
    this.name = name;
    this.random = random;
    this.identity = LocalIdentity.generate(random);
    preKeys.signed.put(signedPreKeyId, X25519.generate(random));
  }

  /** A bundle with a fresh one-time prekey (stored privately) or without one. */
  PreKeyBundle bundle(boolean withOneTimePreKey) {
    X25519.KeyPair spk = preKeys.signed.get(signedPreKeyId);
    PreKeyBundle.OneTimePreKey opk = null;
    if (withOneTimePreKey) {
      long id = nextOneTimePreKeyId++;
      X25519.KeyPair pair = X25519.generate(random);
      preKeys.oneTime.put(id, pair);
      opk = new PreKeyBundle.OneTimePreKey(id, pair.publicKey());
    }
    return new PreKeyBundle(
        name,
        identity.identityKey(),
        identity.identityDhKey(),
        identity.identityDhSignature(),
        identity.signPreKey(
            signedPreKeyId, java.time.Instant.now().getEpochSecond(), spk.publicKey()),
        opk);
  }

  PeerIdentity publicIdentity() {
    return identity.publicIdentity(name);
  }

  LocalUser local() {
    return new LocalUser(name, identity, preKeys, random);
  }
}
