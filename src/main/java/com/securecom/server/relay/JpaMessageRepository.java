package com.securecom.server.relay;

import com.securecom.server.persistence.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.util.List;

@ApplicationScoped
public class JpaMessageRepository implements MessageRepository {
  private Database database;

  protected JpaMessageRepository() {}

  @Inject
  public JpaMessageRepository(Database database) {
    this.database = database;
  }

  @Override
  public StoreResult store(StoredMessage message, int maxQueued) {
    try {
      return database.inTransaction(em -> {
        if (em.find(QueuedMessage.class, new QueuedMessage.Key(message.sender(), message.id())) != null) {
          return StoreResult.DUPLICATE;
        }
        long queued = em.createQuery(
                "SELECT COUNT(m) FROM QueuedMessage m WHERE m.recipient = :r AND m.deliveredAt IS NULL", Long.class)
            .setParameter("r", message.recipient())
            .getSingleResult();
        if (queued >= maxQueued) {
          return StoreResult.QUEUE_FULL;
        }
        em.persist(new QueuedMessage(message));
        return StoreResult.STORED;
      });
    } catch (PersistenceException raceOnPrimaryKey) {
      if (database.inTransaction(em -> em.find(QueuedMessage.class,
          new QueuedMessage.Key(message.sender(), message.id())) != null)) {
        return StoreResult.DUPLICATE;
      }
      throw raceOnPrimaryKey;
    }
  }

  @Override
  public List<StoredMessage> pending(String recipient, long afterSeq, int limit) {
    return database.inTransaction(em -> em
        .createQuery("SELECT m FROM QueuedMessage m WHERE m.recipient = :r AND m.deliveredAt IS NULL"
            + " AND m.seq > :after ORDER BY m.seq", QueuedMessage.class)
        .setParameter("r", recipient)
        .setParameter("after", afterSeq)
        .setMaxResults(limit)
        .getResultStream()
        .map(QueuedMessage::toMessage)
        .toList());
  }

  @Override
  public boolean acknowledge(String recipient, String sender, String id, long now) {
    return database.inTransaction(em -> em
        .createQuery("UPDATE QueuedMessage m SET m.envelope = NULL, m.deliveredAt = :now"
            + " WHERE m.sender = :s AND m.messageId = :id AND m.recipient = :r AND m.deliveredAt IS NULL")
        .setParameter("now", now)
        .setParameter("s", sender)
        .setParameter("id", id)
        .setParameter("r", recipient)
        .executeUpdate() == 1);
  }

  @Override
  public List<Receipt> receipts(String sender, int limit) {
    return database.inTransaction(em -> em
        .createQuery("SELECT m.messageId, m.recipient FROM QueuedMessage m"
            + " WHERE m.sender = :s AND m.deliveredAt IS NOT NULL ORDER BY m.deliveredAt, m.seq", Object[].class)
        .setParameter("s", sender)
        .setMaxResults(limit)
        .getResultStream()
        .map(row -> new Receipt((String) row[0], (String) row[1]))
        .toList());
  }

  @Override
  public boolean forgetReceipt(String sender, String id) {
    return database.inTransaction(em -> em
        .createQuery("DELETE FROM QueuedMessage m"
            + " WHERE m.sender = :s AND m.messageId = :id AND m.deliveredAt IS NOT NULL")
        .setParameter("s", sender)
        .setParameter("id", id)
        .executeUpdate() == 1);
  }

  @Override
  public int purgeExpired(long now) {
    return database.inTransaction(em -> em
        .createQuery("DELETE FROM QueuedMessage m WHERE m.expiresAt <= :now")
        .setParameter("now", now)
        .executeUpdate());
  }

  @Override
  public long countPending() {
    return database.inTransaction(em -> em
        .createQuery("SELECT COUNT(m) FROM QueuedMessage m WHERE m.deliveredAt IS NULL", Long.class)
        .getSingleResult());
  }
}
