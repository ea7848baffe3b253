package com.securecom.server.keys;

import com.securecom.server.persistence.Transaction;
import java.util.List;
import java.util.Optional;

/** Stores identity keys, signed prekeys and one-time prekeys. */
public interface KeyRepository {
  /**
   * Stores a new user's keys in {@code tx}: the identity keys, the signed prekey (stored at {@code
   * now}) and the one-time prekeys; false if two one-time prekeys share an id (the caller then
   * rolls {@code tx} back).
   */
  boolean publish(
      Transaction tx,
      String username,
      IdentityKeys identity,
      SignedPreKey signedPreKey,
      long now,
      List<OneTimePreKey> oneTimePreKeys);

  Optional<IdentityKeys> identityKeys(String username);

  void saveSignedPreKey(String username, SignedPreKey key, long now);

  Optional<SignedPreKey> signedPreKey(String username);

  /**
   * Adds keys to the user's pool; false (and nothing added) if one of their ids is already stored.
   */
  boolean addOneTimePreKeys(String username, List<OneTimePreKey> keys);

  /**
   * Removes and returns one of the user's one-time prekeys. Each key is returned to at most one
   * caller, also when callers race on several threads or nodes.
   */
  Optional<OneTimePreKey> takeOneTimePreKey(String username);

  long countOneTimePreKeys(String username);
}
