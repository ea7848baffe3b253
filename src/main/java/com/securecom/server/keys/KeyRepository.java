package com.securecom.server.keys;

import com.securecom.server.device.DeviceAddress;
import com.securecom.server.persistence.Transaction;
import com.securecom.server.web.NotAuthenticatedException;
import java.util.List;
import java.util.Optional;

/**
 * Stores identity keys (one per account, shared by its devices), and signed prekeys and one-time
 * prekeys (per device). A device's keys can be stored only while the device exists, and never
 * outlive it: a device's removal deletes them, including any being written as it runs.
 */
public interface KeyRepository {
  /**
   * Stores a new account's keys in {@code tx}: the identity keys of {@code device}'s account, and
   * the device's signed prekey (stored at {@code now}) and one-time prekeys; false if two one-time
   * prekeys share an id (the caller then rolls {@code tx} back).
   */
  boolean publish(
      Transaction tx,
      DeviceAddress device,
      IdentityKeys identity,
      SignedPreKey signedPreKey,
      long now,
      List<OneTimePreKey> oneTimePreKeys);

  /**
   * Stores, in {@code tx}, the signed prekey (stored at {@code now}) and one-time prekeys of a
   * device being linked, whose row {@code tx} adds; false if two one-time prekeys share an id (the
   * caller then rolls {@code tx} back).
   */
  boolean publishDevice(
      Transaction tx,
      DeviceAddress device,
      SignedPreKey signedPreKey,
      long now,
      List<OneTimePreKey> oneTimePreKeys);

  Optional<IdentityKeys> identityKeys(String username);

  /**
   * Stores {@code key} as the device's signed prekey (at {@code now}), replacing its current one.
   *
   * @throws NotAuthenticatedException if the device does not exist: removed since its caller
   *     authenticated, its tokens with it, so the answer is that of a revoked token; nothing is
   *     stored
   */
  void saveSignedPreKey(DeviceAddress device, SignedPreKey key, long now);

  Optional<SignedPreKey> signedPreKey(DeviceAddress device);

  /**
   * Adds keys to the device's pool; false (and nothing added) if one of their ids is already stored
   * there.
   *
   * @throws NotAuthenticatedException if the device does not exist, as {@link #saveSignedPreKey}
   *     says; nothing is added
   */
  boolean addOneTimePreKeys(DeviceAddress device, List<OneTimePreKey> keys);

  /**
   * Removes and returns one of the device's one-time prekeys. Each key is returned to at most one
   * caller, also when callers race on several threads or nodes.
   */
  Optional<OneTimePreKey> takeOneTimePreKey(DeviceAddress device);

  long countOneTimePreKeys(DeviceAddress device);
}
