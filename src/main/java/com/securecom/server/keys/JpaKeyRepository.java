package com.securecom.server.keys;

import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DeviceRepository;
import com.securecom.server.persistence.Database;
import com.securecom.server.persistence.Transaction;
import com.securecom.server.web.NotAuthenticatedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

@ApplicationScoped
public class JpaKeyRepository implements KeyRepository {
  private static final int TAKE_ROUNDS = 8;
  private static final int CANDIDATES = 16;
  private Database database;
  private DeviceRepository devices;

  protected JpaKeyRepository() {}

  @Inject
  public JpaKeyRepository(Database database, DeviceRepository devices) {
    this.database = database;
    this.devices = devices;
  }

  @Override
  public boolean publish(
      Transaction tx,
      DeviceAddress device,
      IdentityKeys identity,
      SignedPreKey signedPreKey,
      long now,
      List<OneTimePreKey> oneTimePreKeys) {
    EntityManager em = tx.entityManager();
    em.persist(new IdentityKeyRecord(device.username(), identity));
    saveSignedPreKey(em, device, signedPreKey, now);
    return addOneTimePreKeys(em, device, oneTimePreKeys);
  }

  @Override
  public boolean publishDevice(
      Transaction tx,
      DeviceAddress device,
      SignedPreKey signedPreKey,
      long now,
      List<OneTimePreKey> oneTimePreKeys) {
    EntityManager em = tx.entityManager();
    saveSignedPreKey(em, device, signedPreKey, now);
    return addOneTimePreKeys(em, device, oneTimePreKeys);
  }

  @Override
  public Optional<IdentityKeys> identityKeys(String username) {
    return database.inTransaction(
        em ->
            Optional.ofNullable(em.find(IdentityKeyRecord.class, username))
                .map(IdentityKeyRecord::toKeys));
  }

  @Override
  public void saveSignedPreKey(DeviceAddress device, SignedPreKey key, long now) {
    database.atomically(
        tx -> {
          lockExisting(tx, device);
          saveSignedPreKey(tx.entityManager(), device, key, now);
        });
  }

  private static void saveSignedPreKey(
      EntityManager em, DeviceAddress device, SignedPreKey key, long now) {
    SignedPreKeyRecord existing =
        em.find(SignedPreKeyRecord.class, SignedPreKeyRecord.Key.of(device));
    if (existing == null) {
      em.persist(new SignedPreKeyRecord(device, key, now));
    } else {
      existing.replace(key, now);
    }
  }

  @Override
  public Optional<SignedPreKey> signedPreKey(DeviceAddress device) {
    return database.inTransaction(
        em ->
            Optional.ofNullable(
                    em.find(SignedPreKeyRecord.class, SignedPreKeyRecord.Key.of(device)))
                .map(SignedPreKeyRecord::toKey));
  }

  @Override
  public boolean addOneTimePreKeys(DeviceAddress device, List<OneTimePreKey> keys) {
    AtomicBoolean added = new AtomicBoolean();
    database.atomically(
        tx -> {
          lockExisting(tx, device);
          added.set(addOneTimePreKeys(tx.entityManager(), device, keys));
        });
    return added.get();
  }

  /**
   * Holds the device's row for the rest of {@code tx}, so that its removal cannot interleave with
   * the keys {@code tx} writes for it: a removal that came first makes this wait for it and fail, a
   * later one waits for {@code tx} and deletes the keys with the device. Checked in the writing
   * transaction itself, since the caller's token was checked in another, before the removal may
   * have committed.
   *
   * @throws NotAuthenticatedException if the device is gone (and its tokens with it)
   */
  private void lockExisting(Transaction tx, DeviceAddress device) {
    if (!devices.lock(tx, device)) {
      throw new NotAuthenticatedException();
    }
  }

  private static boolean addOneTimePreKeys(
      EntityManager em, DeviceAddress device, List<OneTimePreKey> keys) {
    for (OneTimePreKey key : keys) {
      if (em.find(OneTimePreKeyRecord.class, OneTimePreKeyRecord.Key.of(device, key.keyId()))
          != null) {
        return false;
      }
    }
    keys.forEach(key -> em.persist(new OneTimePreKeyRecord(device, key)));
    return true;
  }

  /**
   * Reads a few of the lowest-numbered keys, then deletes one by primary key: only the transaction
   * whose DELETE removed the row owns that key. A caller that lost a race tries another candidate,
   * in random order so that concurrent callers spread over the pool instead of queueing on one row.
   */
  @Override
  public Optional<OneTimePreKey> takeOneTimePreKey(DeviceAddress device) {
    for (int round = 0; round < TAKE_ROUNDS; round++) {
      List<OneTimePreKeyRecord> candidates =
          new ArrayList<>(
              database.inTransaction(
                  em ->
                      em.createQuery(
                              "SELECT k FROM OneTimePreKeyRecord k"
                                  + " WHERE k.username = :u AND k.deviceId = :d ORDER BY k.keyId",
                              OneTimePreKeyRecord.class)
                          .setParameter("u", device.username())
                          .setParameter("d", device.deviceId())
                          .setMaxResults(CANDIDATES)
                          .getResultList()));
      if (candidates.isEmpty()) {
        return Optional.empty();
      }
      Collections.shuffle(candidates, ThreadLocalRandom.current());
      for (OneTimePreKeyRecord candidate : candidates) {
        int deleted =
            database.inTransaction(
                em ->
                    em.createQuery(
                            "DELETE FROM OneTimePreKeyRecord k"
                                + " WHERE k.username = :u AND k.deviceId = :d AND k.keyId = :id")
                        .setParameter("u", device.username())
                        .setParameter("d", device.deviceId())
                        .setParameter("id", candidate.keyId)
                        .executeUpdate());
        if (deleted == 1) {
          return Optional.of(candidate.toKey());
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public long countOneTimePreKeys(DeviceAddress device) {
    return database.inTransaction(
        em ->
            em.createQuery(
                    "SELECT COUNT(k) FROM OneTimePreKeyRecord k"
                        + " WHERE k.username = :u AND k.deviceId = :d",
                    Long.class)
                .setParameter("u", device.username())
                .setParameter("d", device.deviceId())
                .getSingleResult());
  }
}
