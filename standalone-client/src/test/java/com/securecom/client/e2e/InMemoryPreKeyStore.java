package com.securecom.client.e2e;

import com.securecom.protocol.crypto.X25519;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A {@link PreKeyStore} in memory, for tests. */
final class InMemoryPreKeyStore implements PreKeyStore {
  final Map<Long, X25519.KeyPair> signed = new HashMap<>();
  final Map<Long, X25519.KeyPair> oneTime = new HashMap<>();

  @Override
  public Optional<X25519.KeyPair> signedPreKey(long keyId) {
    return Optional.ofNullable(signed.get(keyId));
  }

  @Override
  public Optional<X25519.KeyPair> oneTimePreKey(long keyId) {
    return Optional.ofNullable(oneTime.get(keyId));
  }

  @Override
  public void removeOneTimePreKey(long keyId) {
    oneTime.remove(keyId);
  }
}
