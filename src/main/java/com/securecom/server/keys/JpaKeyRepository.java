package com.securecom.server.keys;

import com.securecom.server.persistence.Database;
import com.securecom.server.persistence.Transaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

@ApplicationScoped
public class JpaKeyRepository implements KeyRepository {
  private static final int TAKE_ROUNDS = 8;
  private static final int CANDIDATES = 16;
  private Database database;

  protected JpaKeyRepository() {}

  @Inject
  public JpaKeyRepository(Database database) {
    this.database = database;
  }

  @Override
  public boolean publish(
      Transaction tx,
      String username,
      IdentityKeys identity,
      SignedPreKey signedPreKey,
      long now,
      List<OneTimePreKey> oneTimePreKeys) {
    EntityManager em = tx.entityManager();
    em.persist(new IdentityKeyRecord(username, identity));
    saveSignedPreKey(em, username, signedPreKey, now);
    return addOneTimePreKeys(em, username, oneTimePreKeys);
  }

  @Override
  public Optional<IdentityKeys> identityKeys(String username) {
    return database.inTransaction(
        em ->
            Optional.ofNullable(em.find(IdentityKeyRecord.class, username))
                .map(IdentityKeyRecord::toKeys));
  }

  @Override
  public void saveSignedPreKey(String username, SignedPreKey key, long now) {
    database.execute(em -> saveSignedPreKey(em, username, key, now));
  }

  private static void saveSignedPreKey(
      EntityManager em, String username, SignedPreKey key, long now) {
    SignedPreKeyRecord existing = em.find(SignedPreKeyRecord.class, username);
    if (existing == null) {
      em.persist(new SignedPreKeyRecord(username, key, now));
    } else {
      existing.replace(key, now);
    }
  }

  @Override
  public Optional<SignedPreKey> signedPreKey(String username) {
    return database.inTransaction(
        em ->
            Optional.ofNullable(em.find(SignedPreKeyRecord.class, username))
                .map(SignedPreKeyRecord::toKey));
  }

  @Override
  public boolean addOneTimePreKeys(String username, List<OneTimePreKey> keys) {
    return database.inTransaction(em -> addOneTimePreKeys(em, username, keys));
  }

  private static boolean addOneTimePreKeys(
      EntityManager em, String username, List<OneTimePreKey> keys) {
    for (OneTimePreKey key : keys) {
      if (em.find(OneTimePreKeyRecord.class, new OneTimePreKeyRecord.Key(username, key.keyId()))
          != null) {
        return false;
      }
    }
    keys.forEach(key -> em.persist(new OneTimePreKeyRecord(username, key)));
    return true;
  }

  /**
   * Reads a few of the lowest-numbered keys, then deletes one by primary key: only the transaction
   * whose DELETE removed the row owns that key. A caller that lost a race tries another candidate,
   * in random order so that concurrent callers spread over the pool instead of queueing on one row.
   */
  @Override
  public Optional<OneTimePreKey> takeOneTimePreKey(String username) {
    for (int round = 0; round < TAKE_ROUNDS; round++) {
      List<OneTimePreKeyRecord> candidates =
          new ArrayList<>(
              database.inTransaction(
                  em ->
                      em.createQuery(
                              "SELECT k FROM OneTimePreKeyRecord k WHERE k.username = :u ORDER BY k.keyId",
                              OneTimePreKeyRecord.class)
                          .setParameter("u", username)
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
                            "DELETE FROM OneTimePreKeyRecord k WHERE k.username = :u AND k.keyId = :id")
                        .setParameter("u", username)
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
  public long countOneTimePreKeys(String username) {
    return database.inTransaction(
        em ->
            em.createQuery(
                    "SELECT COUNT(k) FROM OneTimePreKeyRecord k WHERE k.username = :u", Long.class)
                .setParameter("u", username)
                .getSingleResult());
  }
}
