package com.securecom.server.keys;

import com.securecom.server.device.DeviceAddress;
import com.securecom.server.persistence.Transaction;
import com.securecom.server.web.NotAuthenticatedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The key registry. An account has one identity; each of its devices has its own signed prekey and
 * pool of one-time prekeys. Guarantees: an identity DH key and a signed prekey are stored only if
 * the account's identity key signed them; a one-time prekey is handed out at most once; a device's
 * pool never holds more than {@code securecom.keys.max-one-time-prekeys}; whenever a bundle fetch
 * leaves fewer than {@code securecom.keys.low-water-mark} keys in a pool, a {@link PreKeyPoolLow}
 * event tells the owner's connection at once.
 */
@ApplicationScoped
public class KeyRegistry {
  private KeyRepository keys;
  private Clock clock;
  private int maxOneTimePreKeys;
  private int lowWaterMark;
  private Event<PreKeyPoolLow> poolLow;

  protected KeyRegistry() {}

  @Inject
  public KeyRegistry(
      KeyRepository keys,
      Clock clock,
      Event<PreKeyPoolLow> poolLow,
      @ConfigProperty(name = "securecom.keys.max-one-time-prekeys", defaultValue = "100")
          int maxOneTimePreKeys,
      @ConfigProperty(name = "securecom.keys.low-water-mark", defaultValue = "25")
          int lowWaterMark) {
    this.keys = keys;
    this.clock = clock;
    this.poolLow = poolLow;
    this.maxOneTimePreKeys = maxOneTimePreKeys;
    this.lowWaterMark = lowWaterMark;
  }

  public int maxOneTimePreKeys() {
    return maxOneTimePreKeys;
  }

  /**
   * Checks everything about a new user's keys that needs no database: both signatures, the pool
   * cap, distinct key ids. Cheap next to password hashing, so registration calls it first.
   */
  public void checkPublishable(
      IdentityKeys identity, SignedPreKey signedPreKey, List<OneTimePreKey> oneTimePreKeys) {
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
  }

  /**
   * Publishes a new account's keys in {@code tx}, the transaction that also adds the account and
   * its first {@code device}.
   */
  public void publish(
      Transaction tx,
      DeviceAddress device,
      IdentityKeys identity,
      SignedPreKey signedPreKey,
      List<OneTimePreKey> oneTimePreKeys) {
    checkPublishable(identity, signedPreKey, oneTimePreKeys);
    if (!keys.publish(tx, device, identity, signedPreKey, clock.millis(), oneTimePreKeys)) {
      throw PreKeyPoolException.duplicateKeyId();
    }
  }

  /**
   * Checks the keys of a device being linked, as {@link #checkPublishable} does a new account's:
   * the signed prekey's signature for {@code device} (version 3 for a device other than 1), the
   * pool cap, distinct key ids.
   */
  public void checkDeviceKeys(
      byte[] identityKey,
      DeviceAddress device,
      SignedPreKey signedPreKey,
      List<OneTimePreKey> oneTimePreKeys) {
    if (!signedPreKey.isSignedFor(identityKey, device.deviceId())) {
      throw InvalidKeySignatureException.signedPreKey();
    }
    if (oneTimePreKeys.size() > maxOneTimePreKeys) {
      throw PreKeyPoolException.overfull(0, oneTimePreKeys.size(), maxOneTimePreKeys);
    }
    requireDistinctIds(oneTimePreKeys);
  }

  /**
   * Publishes, in {@code tx}, the keys of a device being linked, which {@code tx} adds; {@link
   * #checkDeviceKeys} first.
   */
  public void publishDevice(
      Transaction tx,
      byte[] identityKey,
      DeviceAddress device,
      SignedPreKey signedPreKey,
      List<OneTimePreKey> oneTimePreKeys) {
    checkDeviceKeys(identityKey, device, signedPreKey, oneTimePreKeys);
    if (!keys.publishDevice(tx, device, signedPreKey, clock.millis(), oneTimePreKeys)) {
      throw PreKeyPoolException.duplicateKeyId();
    }
  }

  /**
   * Replaces the signed prekey of the caller's {@code device}.
   *
   * @throws InvalidKeySignatureException if the account's identity key did not sign it
   * @throws NotAuthenticatedException if the device was removed after the caller authenticated as
   *     it: the answer its token, removed with it, gets from then on; nothing is stored
   */
  public void rotateSignedPreKey(DeviceAddress device, SignedPreKey signedPreKey) {
    IdentityKeys identity =
        keys.identityKeys(device.username()).orElseThrow(UnknownUserException::new);
    if (!signedPreKey.isSignedFor(identity.signingKey(), device.deviceId())) {
      throw InvalidKeySignatureException.signedPreKey();
    }
    keys.saveSignedPreKey(device, signedPreKey, clock.millis());
  }

  /**
   * Adds keys to the pool of the caller's {@code device}: all of them or, on any failure, none.
   *
   * @throws PreKeyPoolException if they would overfill the pool, or an id is taken
   * @throws NotAuthenticatedException if the device was removed since the caller authenticated, as
   *     {@link #rotateSignedPreKey} says
   */
  public void addOneTimePreKeys(DeviceAddress device, List<OneTimePreKey> oneTimePreKeys) {
    requireDistinctIds(oneTimePreKeys);
    long stored = keys.countOneTimePreKeys(device);
    if (stored + oneTimePreKeys.size() > maxOneTimePreKeys) {
      throw PreKeyPoolException.overfull(stored, oneTimePreKeys.size(), maxOneTimePreKeys);
    }
    if (!keys.addOneTimePreKeys(device, oneTimePreKeys)) {
      throw PreKeyPoolException.duplicateKeyId();
    }
  }

  private static void requireDistinctIds(List<OneTimePreKey> keys) {
    if (keys.stream().map(OneTimePreKey::keyId).distinct().count() != keys.size()) {
      throw PreKeyPoolException.duplicateKeyId();
    }
  }

  /** The device's bundle, consuming one one-time prekey if any is left. */
  public PreKeyBundle bundleFor(DeviceAddress device) {
    return bundleFor(device, true);
  }

  /**
   * The device's bundle (its account's identity, its own prekeys); with {@code withOneTimePreKey}
   * it consumes one one-time prekey if any is left, and tells the owner ({@link PreKeyPoolLow})
   * when that leaves the pool below the low-water mark or found it empty.
   */
  public PreKeyBundle bundleFor(DeviceAddress device, boolean withOneTimePreKey) {
    String username = device.username();
    IdentityKeys identity = keys.identityKeys(username).orElseThrow(UnknownUserException::new);
    SignedPreKey signedPreKey = keys.signedPreKey(device).orElseThrow(UnknownUserException::new);
    if (!withOneTimePreKey) {
      return new PreKeyBundle(identity, signedPreKey, Optional.empty());
    }
    return new PreKeyBundle(identity, signedPreKey, takeOneTimePreKey(device));
  }

  /**
   * One device's part of a multi-device bundle; the one-time prekey is absent when none was left.
   */
  public record DeviceKeys(
      int deviceId, SignedPreKey signedPreKey, Optional<OneTimePreKey> oneTimePreKey) {}

  /** An account's identity and the keys of several of its devices. */
  public record DevicesBundle(IdentityKeys identity, List<DeviceKeys> devices) {}

  /**
   * The bundles of {@code username}'s devices {@code deviceIds}. Every device is checked before any
   * one-time prekey is taken, so a request naming a device the account lacks consumes nothing. For
   * each device whose {@code withOneTimePreKey} says so, one one-time prekey is taken, as {@link
   * #bundleFor(DeviceAddress, boolean)} does (with its low-pool notice).
   *
   * @throws UnknownUserException if there is no such account
   * @throws UnknownDeviceException naming the first id the account has no device (with keys) for
   */
  public DevicesBundle bundlesFor(
      String username, List<Integer> deviceIds, Predicate<DeviceAddress> withOneTimePreKey) {
    IdentityKeys identity = keys.identityKeys(username).orElseThrow(UnknownUserException::new);
    List<SignedPreKey> signed = new ArrayList<>();
    for (int id : deviceIds) {
      signed.add(
          keys.signedPreKey(new DeviceAddress(username, id))
              .orElseThrow(() -> new UnknownDeviceException(id)));
    }
    List<DeviceKeys> devices = new ArrayList<>();
    for (int i = 0; i < deviceIds.size(); i++) {
      DeviceAddress device = new DeviceAddress(username, deviceIds.get(i));
      Optional<OneTimePreKey> oneTimePreKey =
          withOneTimePreKey.test(device) ? takeOneTimePreKey(device) : Optional.empty();
      devices.add(new DeviceKeys(device.deviceId(), signed.get(i), oneTimePreKey));
    }
    return new DevicesBundle(identity, devices);
  }

  /** Takes one of the device's one-time prekeys, telling its owner if the pool runs low. */
  private Optional<OneTimePreKey> takeOneTimePreKey(DeviceAddress device) {
    Optional<OneTimePreKey> oneTimePreKey = keys.takeOneTimePreKey(device);
    long left = oneTimePreKey.isEmpty() ? 0 : keys.countOneTimePreKeys(device);
    if (left < lowWaterMark) {
      poolLow.fire(new PreKeyPoolLow(device, left));
    }
    return oneTimePreKey;
  }

  public long oneTimePreKeyCount(DeviceAddress device) {
    return keys.countOneTimePreKeys(device);
  }

  public Optional<IdentityKeys> identityKeys(String username) {
    return keys.identityKeys(username);
  }
}
