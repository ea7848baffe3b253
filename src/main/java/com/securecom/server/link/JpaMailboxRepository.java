package com.securecom.server.link;

import com.securecom.server.persistence.Database;
import com.securecom.server.persistence.ExpiryPurge;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;

/** Native SQL on {@code link_mailbox} (schema version 9). */
@ApplicationScoped
public class JpaMailboxRepository implements MailboxRepository {
  private Database database;
  private ExpiryPurge expired;

  protected JpaMailboxRepository() {}

  @Inject
  public JpaMailboxRepository(Database database) {
    this.database = database;
    this.expired = new ExpiryPurge(database, "link_mailbox", "mailbox_id", "expires_at");
  }

  @Override
  public boolean open(byte[] id, long now, long expiresAt) {
    return database.inTransaction(
            em ->
                em.createNativeQuery(
                        "INSERT INTO link_mailbox (mailbox_id, created_at, expires_at)"
                            + " VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING")
                    .setParameter(1, id)
                    .setParameter(2, now)
                    .setParameter(3, expiresAt)
                    .executeUpdate())
        == 1;
  }

  @Override
  public long countOpen(long now) {
    return database.inTransaction(
        em ->
            ((Number)
                    em.createNativeQuery("SELECT COUNT(*) FROM link_mailbox WHERE expires_at > ?1")
                        .setParameter(1, now)
                        .getSingleResult())
                .longValue());
  }

  @Override
  public State state(byte[] id, long now) {
    return database.inTransaction(
        em -> {
          List<?> rows =
              em.createNativeQuery(
                      "SELECT CASE WHEN message IS NULL THEN 0 ELSE 1 END FROM link_mailbox"
                          + " WHERE mailbox_id = ?1 AND expires_at > ?2")
                  .setParameter(1, id)
                  .setParameter(2, now)
                  .getResultList();
          if (rows.isEmpty()) {
            return State.NONE;
          }
          return ((Number) rows.get(0)).intValue() == 0 ? State.EMPTY : State.FULL;
        });
  }

  @Override
  public boolean fill(byte[] id, byte[] message, long now) {
    return database.inTransaction(
            em ->
                em.createNativeQuery(
                        "UPDATE link_mailbox SET message = ?1 WHERE mailbox_id = ?2"
                            + " AND message IS NULL AND expires_at > ?3")
                    .setParameter(1, message)
                    .setParameter(2, id)
                    .setParameter(3, now)
                    .executeUpdate())
        == 1;
  }

  @Override
  public Optional<byte[]> take(byte[] id, long now) {
    return database.inTransaction(
        em -> {
          byte[] message = message(em, id, now);
          if (message == null) {
            return Optional.empty();
          }
          // Deleted only by the taker whose delete changes the row: a racing taker reads the same
          // message but deletes nothing, and gets nothing.
          int deleted =
              em.createNativeQuery(
                      "DELETE FROM link_mailbox WHERE mailbox_id = ?1 AND message IS NOT NULL")
                  .setParameter(1, id)
                  .executeUpdate();
          return deleted == 1 ? Optional.of(message) : Optional.empty();
        });
  }

  private static byte[] message(EntityManager em, byte[] id, long now) {
    List<?> rows =
        em.createNativeQuery(
                "SELECT message FROM link_mailbox WHERE mailbox_id = ?1 AND expires_at > ?2"
                    + " AND message IS NOT NULL")
            .setParameter(1, id)
            .setParameter(2, now)
            .getResultList();
    return rows.isEmpty() ? null : (byte[]) rows.get(0);
  }

  @Override
  public int deleteExpired(long now) {
    return expired.purge(now);
  }
}
