package com.securecom.server.relay;

import com.securecom.server.persistence.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The queue in the {@code message} table. Reads go through JPA; the relay's writes ({@link #writeAll}) go through
 * JDBC batches on the transaction's connection, so a group of a few hundred writes costs a handful of round trips
 * and one commit. (The persistence unit has no shared cache, so JPA never sees a stale copy of these rows.)
 */
@ApplicationScoped
public class JpaMessageRepository implements MessageRepository {
  private Database database;
  private final QueueLengths queueLengths = new QueueLengths();

  protected JpaMessageRepository() {}

  @Inject
  public JpaMessageRepository(Database database) {
    this.database = database;
  }

  @Override
  public List<Outcome> writeAll(List<? extends RelayWrite> writes, int maxQueued) {
    if (writes.isEmpty()) {
      return List.of();
    }
    Map<String, Long> lengths = new HashMap<>();
    List<Outcome> outcomes = database.inTransaction(em -> {
      Connection connection = em.unwrap(Connection.class);
      Outcome[] result = new Outcome[writes.size()];
      try {
        storeAll(connection, writes, maxQueued, result, lengths);
        acknowledgeAll(connection, writes, result);
        forgetAll(connection, writes, result);
      } catch (SQLException e) {
        throw new PersistenceException("relay batch of " + writes.size() + " writes failed", e);
      }
      return Arrays.asList(result);
    });
    lengths.forEach(queueLengths::set);
    for (int i = 0; i < writes.size(); i++) {
      if (writes.get(i) instanceof RelayWrite.Acknowledge ack && outcomes.get(i) == Outcome.APPLIED) {
        queueLengths.delivered(ack.recipient());
      }
    }
    return outcomes;
  }

  /**
   * Inserts the batch's messages with one JDBC batch; a duplicate (sender, id) inserts nothing ({@code ON CONFLICT
   * DO NOTHING}, update count 0). Queue lengths come from {@link QueueLengths}, or from one grouped count for the
   * recipients it does not know; {@code lengths} receives each recipient's length after the batch.
   */
  private void storeAll(Connection connection, List<? extends RelayWrite> writes, int maxQueued,
      Outcome[] outcomes, Map<String, Long> lengths) throws SQLException {
    List<Integer> stores = indexesOf(writes, RelayWrite.Store.class);
    if (stores.isEmpty()) {
      return;
    }
    long now = System.currentTimeMillis();
    List<String> unknown = new ArrayList<>();
    for (int i : stores) {
      String recipient = ((RelayWrite.Store) writes.get(i)).message().recipient();
      if (!lengths.containsKey(recipient)) {
        Long known = queueLengths.get(recipient, now);
        lengths.put(recipient, known == null ? 0L : known);
        if (known == null) {
          unknown.add(recipient);
        }
      }
    }
    if (!unknown.isEmpty()) {
      lengths.putAll(queuedFor(connection, unknown));
    }
    Set<String> counted = new HashSet<>(unknown);
    List<Integer> inserted = new ArrayList<>();
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO message (sender, message_id, recipient, envelope, sent_at, expires_at)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      for (int i : stores) {
        StoredMessage m = ((RelayWrite.Store) writes.get(i)).message();
        if (lengths.get(m.recipient()) >= maxQueued && counted.add(m.recipient())) {
          long batchAdds = inserted.stream()
              .filter(k -> ((RelayWrite.Store) writes.get(k)).message().recipient().equals(m.recipient())).count();
          lengths.put(m.recipient(), queuedFor(connection, List.of(m.recipient())).getOrDefault(m.recipient(), 0L)
              + batchAdds);
        }
        long length = lengths.get(m.recipient());
        if (length >= maxQueued) {
          outcomes[i] = isStored(connection, m.sender(), m.id()) ? Outcome.DUPLICATE : Outcome.QUEUE_FULL;
          continue;
        }
        lengths.put(m.recipient(), length + 1);
        insert.setString(1, m.sender());
        insert.setString(2, m.id());
        insert.setString(3, m.recipient());
        insert.setBytes(4, m.envelope());
        insert.setLong(5, m.sentAt());
        insert.setLong(6, m.expiresAt());
        insert.addBatch();
        inserted.add(i);
      }
      if (inserted.isEmpty()) {
        return;
      }
      int[] counts = insert.executeBatch();
      for (int k = 0; k < counts.length; k++) {
        int i = inserted.get(k);
        if (counts[k] == 0) {
          outcomes[i] = Outcome.DUPLICATE;
          lengths.merge(((RelayWrite.Store) writes.get(i)).message().recipient(), -1L, Long::sum);
        } else {
          outcomes[i] = Outcome.STORED;
        }
      }
    }
  }

  private static Map<String, Long> queuedFor(Connection connection, List<String> recipients) throws SQLException {
    Map<String, Long> queued = new HashMap<>();
    recipients.forEach(r -> queued.put(r, 0L));
    String marks = String.join(", ", Collections.nCopies(recipients.size(), "?"));
    try (PreparedStatement count = connection.prepareStatement("SELECT recipient, COUNT(*) FROM message"
        + " WHERE delivered_at IS NULL AND recipient IN (" + marks + ") GROUP BY recipient")) {
      for (int k = 0; k < recipients.size(); k++) {
        count.setString(k + 1, recipients.get(k));
      }
      try (ResultSet rows = count.executeQuery()) {
        while (rows.next()) {
          queued.put(rows.getString(1), rows.getLong(2));
        }
      }
    }
    return queued;
  }

  private static boolean isStored(Connection connection, String sender, String id) throws SQLException {
    try (PreparedStatement find = connection.prepareStatement(
        "SELECT 1 FROM message WHERE sender = ? AND message_id = ?")) {
      find.setString(1, sender);
      find.setString(2, id);
      try (ResultSet row = find.executeQuery()) {
        return row.next();
      }
    }
  }

  private static void acknowledgeAll(Connection connection, List<? extends RelayWrite> writes, Outcome[] outcomes)
      throws SQLException {
    List<Integer> acks = indexesOf(writes, RelayWrite.Acknowledge.class);
    if (acks.isEmpty()) {
      return;
    }
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE message SET envelope = NULL, delivered_at = ?"
            + " WHERE sender = ? AND message_id = ? AND recipient = ? AND delivered_at IS NULL")) {
      for (int i : acks) {
        RelayWrite.Acknowledge ack = (RelayWrite.Acknowledge) writes.get(i);
        update.setLong(1, ack.now());
        update.setString(2, ack.sender());
        update.setString(3, ack.id());
        update.setString(4, ack.recipient());
        update.addBatch();
      }
      applied(update.executeBatch(), acks, outcomes);
    }
  }

  private static void forgetAll(Connection connection, List<? extends RelayWrite> writes, Outcome[] outcomes)
      throws SQLException {
    List<Integer> forgets = indexesOf(writes, RelayWrite.ForgetReceipt.class);
    if (forgets.isEmpty()) {
      return;
    }
    try (PreparedStatement delete = connection.prepareStatement(
        "DELETE FROM message WHERE sender = ? AND message_id = ? AND delivered_at IS NOT NULL")) {
      for (int i : forgets) {
        RelayWrite.ForgetReceipt forget = (RelayWrite.ForgetReceipt) writes.get(i);
        delete.setString(1, forget.sender());
        delete.setString(2, forget.id());
        delete.addBatch();
      }
      applied(delete.executeBatch(), forgets, outcomes);
    }
  }

  private static void applied(int[] counts, List<Integer> indexes, Outcome[] outcomes) {
    for (int k = 0; k < counts.length; k++) {
      outcomes[indexes.get(k)] = counts[k] == 0 ? Outcome.NO_MATCH : Outcome.APPLIED;
    }
  }

  private static List<Integer> indexesOf(List<? extends RelayWrite> writes, Class<? extends RelayWrite> kind) {
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < writes.size(); i++) {
      if (kind.isInstance(writes.get(i))) {
        indexes.add(i);
      }
    }
    return indexes;
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
  public int purgeExpired(long now) {
    int purged = database.inTransaction(em -> em
        .createQuery("DELETE FROM QueuedMessage m WHERE m.expiresAt <= :now")
        .setParameter("now", now)
        .executeUpdate());
    queueLengths.forget();
    return purged;
  }

  @Override
  public long countPending() {
    return database.inTransaction(em -> em
        .createQuery("SELECT COUNT(m) FROM QueuedMessage m WHERE m.deliveredAt IS NULL", Long.class)
        .getSingleResult());
  }
}
