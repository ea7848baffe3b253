package com.securecom.server.devicelist;

import com.securecom.server.persistence.Database;
import com.securecom.server.persistence.ExpiryPurge;
import com.securecom.server.persistence.Transaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Native SQL on {@code device_ticket} (schema version 9). */
@ApplicationScoped
public class JpaTicketRepository implements TicketRepository {
  private Database database;
  private ExpiryPurge expired;

  protected JpaTicketRepository() {}

  @Inject
  public JpaTicketRepository(Database database) {
    this.database = database;
    this.expired = new ExpiryPurge(database, "device_ticket", "ticket_hash", "expires_at");
  }

  @Override
  public void add(byte[] hash, String username, long now, long expiresAt) {
    database.execute(
        em ->
            em.createNativeQuery(
                    "INSERT INTO device_ticket (ticket_hash, username, created_at, expires_at)"
                        + " VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, hash)
                .setParameter(2, username)
                .setParameter(3, now)
                .setParameter(4, expiresAt)
                .executeUpdate());
  }

  @Override
  public long countValid(String username, long now) {
    return database.inTransaction(
        em ->
            ((Number)
                    em.createNativeQuery(
                            "SELECT COUNT(*) FROM device_ticket WHERE username = ?1"
                                + " AND expires_at > ?2")
                        .setParameter(1, username)
                        .setParameter(2, now)
                        .getSingleResult())
                .longValue());
  }

  @Override
  public boolean isValid(byte[] hash, String username, long now) {
    return database.inTransaction(
        em ->
            !em.createNativeQuery(
                    "SELECT 1 FROM device_ticket WHERE ticket_hash = ?1 AND username = ?2"
                        + " AND expires_at > ?3")
                .setParameter(1, hash)
                .setParameter(2, username)
                .setParameter(3, now)
                .getResultList()
                .isEmpty());
  }

  @Override
  public boolean use(Transaction tx, byte[] hash, String username, long now) {
    return tx.entityManager()
            .createNativeQuery(
                "DELETE FROM device_ticket WHERE ticket_hash = ?1 AND username = ?2"
                    + " AND expires_at > ?3")
            .setParameter(1, hash)
            .setParameter(2, username)
            .setParameter(3, now)
            .executeUpdate()
        == 1;
  }

  @Override
  public int deleteExpired(long now) {
    return expired.purge(now);
  }
}
