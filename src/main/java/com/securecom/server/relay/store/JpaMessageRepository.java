package com.securecom.server.relay.store;

import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DeviceQueues.Queued;
import com.securecom.server.persistence.Database;
import com.securecom.server.persistence.ExpiryPurge;
import com.securecom.server.relay.MessageRepository;
import com.securecom.server.relay.QueueLimits;
import com.securecom.server.relay.Receipt;
import com.securecom.server.relay.RelayWrite;
import com.securecom.server.relay.StoredMessage;
import com.securecom.server.relay.store.QueueUsage.Usage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The queues in the {@code relay_message} table: one row per copy, one queue per recipient device.
 * Reads go through JPA; the relay's writes ({@link #writeAll}) go through JDBC batches on the
 * transaction's connection, so a group of a few hundred writes costs a handful of round trips and
 * one commit. (The persistence unit has no shared cache, so JPA never sees a stale copy of these
 * rows.)
 */
@ApplicationScoped
public class JpaMessageRepository implements MessageRepository {
  private Database database;
  private Clock clock;
  private ExpiryPurge expired;
  private final QueueUsage usage = new QueueUsage();

  protected JpaMessageRepository() {}

  @Inject
  public JpaMessageRepository(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
    this.expired = new ExpiryPurge(database, "relay_message", "seq", "expires_at");
  }

  @Override
  public List<Outcome> writeAll(List<? extends RelayWrite> writes, QueueLimits limits) {
    if (writes.isEmpty()) {
      return List.of();
    }
    Map<String, Usage> after = new HashMap<>();
    List<Outcome> outcomes =
        database.inTransaction(
            em -> {
              Connection connection = em.unwrap(Connection.class);
              Outcome[] result = new Outcome[writes.size()];
              try {
                storeAll(connection, writes, limits, result, after);
                storeSends(connection, writes, limits, result, after);
                acknowledgeAll(connection, writes, result);
                forgetAll(connection, writes, result);
              } catch (SQLException e) {
                throw new PersistenceException(
                    "relay batch of " + writes.size() + " writes failed", e);
              }
              return Arrays.asList(result);
            });
    after.forEach(usage::set);
    for (int i = 0; i < writes.size(); i++) {
      if (outcomes.get(i) != Outcome.APPLIED) {
        continue;
      }
      if (writes.get(i) instanceof RelayWrite.Acknowledge ack) {
        delivered(ack);
        if (ack.ofOwnDevice()) {
          usage.add(QueueUsage.sender(ack.sender().username()), -1, 0);
        }
      } else if (writes.get(i) instanceof RelayWrite.ForgetReceipt forget) {
        usage.add(QueueUsage.sender(forget.sender().username()), -1, 0);
      }
    }
    return outcomes;
  }

  private void delivered(RelayWrite.Acknowledge ack) {
    String sender = ack.sender().username();
    List<String> keys =
        List.of(QueueUsage.recipient(ack.recipient()), QueueUsage.share(sender, ack.recipient()));
    if (ack.envelopeBytes() < 0) {
      keys.forEach(usage::forget);
      usage.forget(QueueUsage.sender(sender));
      return;
    }
    keys.forEach(key -> usage.add(key, -1, -ack.envelopeBytes()));
    usage.add(QueueUsage.sender(sender), 0, -ack.envelopeBytes());
  }

  /** A copy an {@code Acknowledge} names: its recipient device, sending device and id. */
  private record Named(DeviceAddress recipient, DeviceAddress sender, String id) {}

  /** The batch's first {@code Acknowledge} of each message, by the message it names. */
  private static Map<Named, Integer> acknowledgements(List<? extends RelayWrite> writes) {
    Map<Named, Integer> acks = new HashMap<>();
    for (int i = 0; i < writes.size(); i++) {
      if (writes.get(i) instanceof RelayWrite.Acknowledge ack) {
        acks.putIfAbsent(new Named(ack.recipient(), ack.sender(), ack.id()), i);
      }
    }
    return acks;
  }

  /**
   * Inserts the batch's messages with one JDBC batch, each checked against {@code limits} as the
   * batch goes; a message whose (sending device, id) is stored already inserts nothing (the
   * insert's {@code NOT EXISTS}, or {@code ON CONFLICT DO NOTHING} against a concurrent insert of
   * the same copy: update count 0) and is then told apart from a reused id. A message whose {@code
   * Acknowledge} is in the same batch (a fast-path message whose window ended while the writer was
   * behind: its late {@code ack} queued right after its store) is inserted as it would be after
   * that acknowledgement, delivered and without its envelope, and the acknowledgement is then
   * settled {@code APPLIED} without an update of its own: one row change instead of two, and the
   * envelope never written. Usage comes from {@link QueueUsage}, or from the database for keys it
   * does not know, and a key that looks full is counted again before a message is refused; {@code
   * after} receives each key's usage after the batch.
   */
  private void storeAll(
      Connection connection,
      List<? extends RelayWrite> writes,
      QueueLimits limits,
      Outcome[] outcomes,
      Map<String, Usage> after)
      throws SQLException {
    List<Integer> stores = indexesOf(writes, RelayWrite.Store.class);
    if (stores.isEmpty()) {
      return;
    }
    Map<Named, Integer> acks = acknowledgements(writes);
    long now = clock.millis();
    Set<String> counted = new HashSet<>();
    Map<String, Usage> unexecuted = new HashMap<>();
    List<Integer> inserted = new ArrayList<>();
    Map<Integer, Integer> insertedDelivered = new HashMap<>();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO relay_message (sender, sender_device, message_id, recipient,"
                + " recipient_device, envelope, sent_at, expires_at, delivered_at)"
                + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM relay_message"
                + " WHERE sender = ? AND sender_device = ? AND message_id = ?)"
                + " ON CONFLICT DO NOTHING")) {
      for (int i : stores) {
        StoredMessage m = ((RelayWrite.Store) writes.get(i)).message();
        List<String> keys = keysOf(m);
        for (String key : keys) {
          if (!after.containsKey(key)) {
            Usage known = usage.get(key, now);
            if (known == null) {
              known = shareBound(key, m, after, limits);
            }
            if (known == null) {
              known = count(connection, key, m);
              counted.add(key);
            }
            after.put(key, known);
          }
        }
        Outcome refused = overLimit(m, after, limits);
        if (refused != null) {
          for (String key : keys) {
            if (counted.add(key)) {
              after.put(
                  key,
                  count(connection, key, m)
                      .plus(
                          unexecuted.getOrDefault(key, Usage.NONE).messages(),
                          unexecuted.getOrDefault(key, Usage.NONE).bytes()));
            }
          }
          refused = overLimit(m, after, limits);
        }
        if (refused != null) {
          Outcome earlier = sameMessage(connection, List.of(m));
          outcomes[i] = earlier != null ? earlier : refused;
          continue;
        }
        long bytes = m.envelope().length;
        for (String key : keys) {
          after.merge(key, new Usage(1, bytes), (a, b) -> a.plus(b.messages(), b.bytes()));
          unexecuted.merge(key, new Usage(1, bytes), (a, b) -> a.plus(b.messages(), b.bytes()));
        }
        Integer ack = acks.remove(new Named(m.to(), m.from(), m.id()));
        if (ack != null && ((RelayWrite.Acknowledge) writes.get(ack)).now() >= m.expiresAt()) {
          ack = null; // acknowledged after its expiry: stored as sent, and the ack finds nothing
        }
        insert.setString(1, m.sender());
        insert.setInt(2, m.senderDevice());
        insert.setString(3, m.id());
        insert.setString(4, m.recipient());
        insert.setInt(5, m.recipientDevice());
        if (ack == null) {
          insert.setBytes(6, m.envelope());
          insert.setNull(9, Types.BIGINT);
        } else {
          insert.setNull(6, Types.BINARY);
          insert.setLong(9, ((RelayWrite.Acknowledge) writes.get(ack)).now());
          insertedDelivered.put(i, ack);
        }
        insert.setLong(7, m.sentAt());
        insert.setLong(8, m.expiresAt());
        insert.setString(10, m.sender());
        insert.setInt(11, m.senderDevice());
        insert.setString(12, m.id());
        insert.addBatch();
        inserted.add(i);
      }
      if (inserted.isEmpty()) {
        return;
      }
      int[] counts = insert.executeBatch();
      for (int k = 0; k < counts.length; k++) {
        int i = inserted.get(k);
        StoredMessage m = ((RelayWrite.Store) writes.get(i)).message();
        if (counts[k] == 0) {
          Outcome earlier = sameMessage(connection, List.of(m));
          outcomes[i] = earlier != null ? earlier : Outcome.DUPLICATE;
          for (String key : keysOf(m)) {
            after.computeIfPresent(key, (key2, u) -> u.plus(-1, -m.envelope().length));
          }
        } else {
          outcomes[i] = Outcome.STORED;
          Integer ack = insertedDelivered.get(i);
          if (ack != null) {
            outcomes[ack] = Outcome.APPLIED;
          }
        }
      }
    }
  }

  /**
   * Stores each {@code StoreSend} of the batch, all its copies or none, after the single stores
   * (which {@link #storeAll} has executed, so a count made here sees them). Its copies are checked
   * against {@code limits} together, each as if those before it were stored; a send that looks over
   * a limit is counted again from the database before it is refused. The first copy is inserted
   * under the same guard as a single store (no row of this sending device with this id); only if it
   * was inserted are the others, in a second batch of the same transaction ({@code ON CONFLICT DO
   * NOTHING} there only keeps a concurrent writer of the same copy, which the guard cannot see,
   * from failing the whole batch). A send whose first copy was not inserted, or that a limit
   * refuses, is a {@code DUPLICATE} if exactly its copies are stored under its id (a retry), {@code
   * ID_REUSED} if other rows are, else the limit it breaks.
   */
  private void storeSends(
      Connection connection,
      List<? extends RelayWrite> writes,
      QueueLimits limits,
      Outcome[] outcomes,
      Map<String, Usage> after)
      throws SQLException {
    long now = clock.millis();
    for (int i : indexesOf(writes, RelayWrite.StoreSend.class)) {
      RelayWrite.StoreSend send = (RelayWrite.StoreSend) writes.get(i);
      List<StoredMessage> copies = send.copies();
      for (StoredMessage copy : copies) {
        for (String key : keysOf(copy)) {
          if (!after.containsKey(key)) {
            // A group send names many devices at once: bound each new pair's share by its
            // recipient's queue, as a single store does, rather than count it (a reservation that
            // fails is counted again below).
            Usage known = usage.get(key, now);
            if (known == null) {
              known = shareBound(key, copy, after, limits);
            }
            after.put(key, known != null ? known : count(connection, key, copy));
          }
        }
      }
      Map<String, Usage> reserved = reserve(copies, after, limits);
      if (reserved == null) {
        for (StoredMessage copy : copies) {
          for (String key : keysOf(copy)) {
            after.put(key, count(connection, key, copy));
          }
        }
        reserved = reserve(copies, after, limits);
      }
      if (reserved == null) {
        Outcome earlier = sameMessage(connection, copies);
        outcomes[i] = earlier != null ? earlier : refusal(send, after, limits);
        continue;
      }
      if (!insertFirstThenRest(connection, copies)) {
        Outcome earlier = sameMessage(connection, copies);
        outcomes[i] = earlier != null ? earlier : Outcome.DUPLICATE;
        continue;
      }
      after.putAll(reserved);
      outcomes[i] = Outcome.STORED;
    }
  }

  /**
   * The usage of {@code copies}' keys once they are all stored, or null if one of them would break
   * a limit.
   */
  private static Map<String, Usage> reserve(
      List<StoredMessage> copies, Map<String, Usage> after, QueueLimits limits) {
    Map<String, Usage> trial = new HashMap<>();
    Map<String, Usage> view = new HashMap<>(after);
    for (StoredMessage copy : copies) {
      if (overLimit(copy, view, limits) != null) {
        return null;
      }
      for (String key : keysOf(copy)) {
        Usage next = view.get(key).plus(1, copy.envelope().length);
        view.put(key, next);
        trial.put(key, next);
      }
    }
    return trial;
  }

  /**
   * The limit the first refused copy of {@code send} breaks, the copies before it counted; a queue
   * or share limit is noted in {@code send} with every device whose copy breaks it so counted.
   */
  private static Outcome refusal(
      RelayWrite.StoreSend send, Map<String, Usage> after, QueueLimits limits) {
    Map<String, Usage> view = new HashMap<>(after);
    Outcome first = null;
    List<DeviceAddress> full = new ArrayList<>();
    for (StoredMessage copy : send.copies()) {
      Outcome refused = overLimit(copy, view, limits);
      if (first == null) {
        first = refused;
      }
      if (refused != null && refused == first) {
        full.add(copy.to());
      }
      for (String key : keysOf(copy)) {
        view.put(key, view.get(key).plus(1, copy.envelope().length));
      }
    }
    if (first == null) {
      throw new IllegalStateException("no copy is over a limit");
    }
    if (first == Outcome.QUEUE_FULL || first == Outcome.SENDER_SHARE_FULL) {
      send.refusedFor(full);
    }
    return first;
  }

  /**
   * Inserts the first copy under the single store's guard and, if it was inserted, the others;
   * false (nothing inserted) if the first copy's sending device and id are stored already.
   */
  private static boolean insertFirstThenRest(Connection connection, List<StoredMessage> copies)
      throws SQLException {
    try (PreparedStatement first =
        connection.prepareStatement(
            "INSERT INTO relay_message (sender, sender_device, message_id, recipient,"
                + " recipient_device, envelope, sent_at, expires_at)"
                + " SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM relay_message"
                + " WHERE sender = ? AND sender_device = ? AND message_id = ?)"
                + " ON CONFLICT DO NOTHING")) {
      StoredMessage m = copies.get(0);
      bindCopy(first, m);
      first.setString(9, m.sender());
      first.setInt(10, m.senderDevice());
      first.setString(11, m.id());
      if (first.executeUpdate() == 0) {
        return false;
      }
    }
    if (copies.size() == 1) {
      return true;
    }
    try (PreparedStatement rest =
        connection.prepareStatement(
            "INSERT INTO relay_message (sender, sender_device, message_id, recipient,"
                + " recipient_device, envelope, sent_at, expires_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      for (StoredMessage m : copies.subList(1, copies.size())) {
        bindCopy(rest, m);
        rest.addBatch();
      }
      rest.executeBatch();
    }
    return true;
  }

  private static void bindCopy(PreparedStatement insert, StoredMessage m) throws SQLException {
    insert.setString(1, m.sender());
    insert.setInt(2, m.senderDevice());
    insert.setString(3, m.id());
    insert.setString(4, m.recipient());
    insert.setInt(5, m.recipientDevice());
    insert.setBytes(6, m.envelope());
    insert.setLong(7, m.sentAt());
    insert.setLong(8, m.expiresAt());
  }

  /**
   * If the sending device and id of {@code copies} (a single store's one, or a send's) are stored:
   * {@code DUPLICATE} when exactly these copies are (the same recipient devices, each with the same
   * envelope unless it was delivered already), else {@code ID_REUSED}; null if nothing is stored
   * under them.
   */
  private static Outcome sameMessage(Connection connection, List<StoredMessage> copies)
      throws SQLException {
    StoredMessage first = copies.get(0);
    Map<DeviceAddress, byte[]> wanted = new HashMap<>();
    copies.forEach(copy -> wanted.put(copy.to(), copy.envelope()));
    int found = 0;
    boolean same = true;
    try (PreparedStatement find =
        connection.prepareStatement(
            "SELECT recipient, recipient_device, envelope FROM relay_message"
                + " WHERE sender = ? AND sender_device = ? AND message_id = ?")) {
      find.setString(1, first.sender());
      find.setInt(2, first.senderDevice());
      find.setString(3, first.id());
      try (ResultSet row = find.executeQuery()) {
        while (row.next()) {
          found++;
          byte[] envelope = row.getBytes(3);
          byte[] sent = wanted.get(new DeviceAddress(row.getString(1), row.getInt(2)));
          same &= sent != null && (envelope == null || Arrays.equals(envelope, sent));
        }
      }
    }
    if (found == 0) {
      return null;
    }
    return same && found == copies.size() ? Outcome.DUPLICATE : Outcome.ID_REUSED;
  }

  /**
   * For the (sender, recipient) share of {@code m}, when it is not known: the recipient's whole
   * queue, if even that leaves room for {@code m} within the share's limits. A pair's share is part
   * of its recipient's queue, so this is an upper bound, which is all a limit needs (a bound that
   * looks full is counted before a message is refused), and it saves a count per new pair, which
   * scans the recipient's queue: with many pairs, those counts were the largest part of the
   * writer's time in a backlog. Null for any other key, or when the bound leaves no room.
   */
  private static Usage shareBound(
      String key, StoredMessage m, Map<String, Usage> after, QueueLimits limits) {
    if (!key.equals(QueueUsage.share(m.sender(), m.to()))) {
      return null;
    }
    Usage recipient = after.get(QueueUsage.recipient(m.to()));
    boolean room =
        recipient != null
            && recipient.messages() + 1 <= limits.shareMessages()
            && recipient.bytes() + m.envelope().length <= limits.shareBytes();
    return room ? recipient : null;
  }

  private static List<String> keysOf(StoredMessage m) {
    return List.of(
        QueueUsage.recipient(m.to()),
        QueueUsage.share(m.sender(), m.to()),
        QueueUsage.sender(m.sender()));
  }

  /** The limit {@code m} would break, the sender's own first, or null. */
  private static Outcome overLimit(StoredMessage m, Map<String, Usage> usage, QueueLimits limits) {
    long bytes = m.envelope().length;
    Usage sender = usage.get(QueueUsage.sender(m.sender()));
    if (sender.messages() + 1 > limits.senderMessages()
        || sender.bytes() + bytes > limits.senderBytes()) {
      return Outcome.SENDER_QUOTA_FULL;
    }
    Usage share = usage.get(QueueUsage.share(m.sender(), m.to()));
    if (share.messages() + 1 > limits.shareMessages()
        || share.bytes() + bytes > limits.shareBytes()) {
      return Outcome.SENDER_SHARE_FULL;
    }
    Usage recipient = usage.get(QueueUsage.recipient(m.to()));
    if (recipient.messages() + 1 > limits.recipientMessages()
        || recipient.bytes() + bytes > limits.recipientBytes()) {
      return Outcome.QUEUE_FULL;
    }
    return null;
  }

  /** What the database holds for {@code key} (the one of {@code m}'s three keys it names). */
  private static Usage count(Connection connection, String key, StoredMessage m)
      throws SQLException {
    String select =
        "SELECT COUNT(*), COALESCE(SUM(OCTET_LENGTH(envelope)), 0) FROM relay_message WHERE ";
    PreparedStatement count;
    if (key.equals(QueueUsage.recipient(m.to()))) {
      count =
          connection.prepareStatement(
              select + "recipient = ? AND recipient_device = ? AND delivered_at IS NULL");
      count.setString(1, m.recipient());
      count.setInt(2, m.recipientDevice());
    } else if (key.equals(QueueUsage.share(m.sender(), m.to()))) {
      count =
          connection.prepareStatement(
              select
                  + "recipient = ? AND recipient_device = ? AND sender = ?"
                  + " AND delivered_at IS NULL");
      count.setString(1, m.recipient());
      count.setInt(2, m.recipientDevice());
      count.setString(3, m.sender());
    } else {
      count = connection.prepareStatement(select + "sender = ?");
      count.setString(1, m.sender());
    }
    try (count;
        ResultSet row = count.executeQuery()) {
      row.next();
      return new Usage(row.getLong(1), row.getLong(2));
    }
  }

  private static void acknowledgeAll(
      Connection connection, List<? extends RelayWrite> writes, Outcome[] outcomes)
      throws SQLException {
    List<Integer> acks = new ArrayList<>();
    for (int i : indexesOf(writes, RelayWrite.Acknowledge.class)) {
      if (outcomes[i] == null) { // not settled with its message's insert
        acks.add(i);
      }
    }
    List<Integer> ofOwnDevices = new ArrayList<>();
    for (int i : acks) {
      if (((RelayWrite.Acknowledge) writes.get(i)).ofOwnDevice()) {
        ofOwnDevices.add(i);
      }
    }
    acks.removeAll(ofOwnDevices);
    String named =
        " WHERE sender = ? AND sender_device = ? AND message_id = ? AND recipient = ?"
            + " AND recipient_device = ? AND delivered_at IS NULL";
    // An expired copy is owed no receipt: its ack finds nothing (NO_MATCH), as after the purge.
    acknowledge(
        connection,
        "UPDATE relay_message SET envelope = NULL, delivered_at = ?"
            + named
            + " AND expires_at > ?",
        writes,
        acks,
        outcomes);
    // A copy to another device of the sender's own account is owed no receipt: it goes at once
    // (expired or not: deleting it early only frees its space).
    acknowledge(connection, "DELETE FROM relay_message" + named, writes, ofOwnDevices, outcomes);
  }

  /**
   * Runs {@code sql} for {@code acks}: an {@code UPDATE} binds the ack's time, the five columns
   * naming the copy, and the time again (the copy must not have expired by then); a {@code DELETE}
   * the five columns only.
   */
  private static void acknowledge(
      Connection connection,
      String sql,
      List<? extends RelayWrite> writes,
      List<Integer> acks,
      Outcome[] outcomes)
      throws SQLException {
    if (acks.isEmpty()) {
      return;
    }
    boolean timed = sql.startsWith("UPDATE");
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i : acks) {
        RelayWrite.Acknowledge ack = (RelayWrite.Acknowledge) writes.get(i);
        int column = 1;
        if (timed) {
          statement.setLong(column++, ack.now());
        }
        statement.setString(column++, ack.sender().username());
        statement.setInt(column++, ack.sender().deviceId());
        statement.setString(column++, ack.id());
        statement.setString(column++, ack.recipient().username());
        statement.setInt(column++, ack.recipient().deviceId());
        if (timed) {
          statement.setLong(column, ack.now());
        }
        statement.addBatch();
      }
      applied(statement.executeBatch(), acks, outcomes);
    }
  }

  private static void forgetAll(
      Connection connection, List<? extends RelayWrite> writes, Outcome[] outcomes)
      throws SQLException {
    List<Integer> ofAnyCopy = new ArrayList<>();
    List<Integer> ofOneCopy = new ArrayList<>();
    for (int i : indexesOf(writes, RelayWrite.ForgetReceipt.class)) {
      (((RelayWrite.ForgetReceipt) writes.get(i)).recipient() == null ? ofAnyCopy : ofOneCopy)
          .add(i);
    }
    String delete =
        "DELETE FROM relay_message WHERE sender = ? AND sender_device = ? AND message_id = ?"
            + " AND delivered_at IS NOT NULL";
    forget(connection, delete, writes, ofAnyCopy, outcomes);
    forget(
        connection,
        delete + " AND recipient = ? AND recipient_device = ?",
        writes,
        ofOneCopy,
        outcomes);
  }

  private static void forget(
      Connection connection,
      String sql,
      List<? extends RelayWrite> writes,
      List<Integer> forgets,
      Outcome[] outcomes)
      throws SQLException {
    if (forgets.isEmpty()) {
      return;
    }
    try (PreparedStatement delete = connection.prepareStatement(sql)) {
      for (int i : forgets) {
        RelayWrite.ForgetReceipt forget = (RelayWrite.ForgetReceipt) writes.get(i);
        delete.setString(1, forget.sender().username());
        delete.setInt(2, forget.sender().deviceId());
        delete.setString(3, forget.id());
        if (forget.recipient() != null) {
          delete.setString(4, forget.recipient().username());
          delete.setInt(5, forget.recipient().deviceId());
        }
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

  private static List<Integer> indexesOf(
      List<? extends RelayWrite> writes, Class<? extends RelayWrite> kind) {
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < writes.size(); i++) {
      if (kind.isInstance(writes.get(i))) {
        indexes.add(i);
      }
    }
    return indexes;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Expiry is a filter on the rows the queue's index leads to, which are read anyway for their
   * envelopes: it costs no extra read.
   */
  @Override
  public List<StoredMessage> pending(DeviceAddress recipient, long afterSeq, int limit) {
    long now = clock.millis();
    return database.inTransaction(
        em ->
            em.createQuery(
                    "SELECT m FROM QueuedMessage m WHERE m.recipient = :r AND m.recipientDevice = :d"
                        + " AND m.deliveredAt IS NULL AND m.seq > :after AND m.expiresAt > :now"
                        + " ORDER BY m.seq",
                    QueuedMessage.class)
                .setParameter("r", recipient.username())
                .setParameter("d", recipient.deviceId())
                .setParameter("after", afterSeq)
                .setParameter("now", now)
                .setMaxResults(limit)
                .getResultStream()
                .map(QueuedMessage::toMessage)
                .toList());
  }

  @Override
  public Queued queued(DeviceAddress recipient) {
    Object[] row =
        database.inTransaction(
            em ->
                (Object[])
                    em.createNativeQuery(
                            "SELECT COUNT(*), COALESCE(SUM(OCTET_LENGTH(envelope)), 0)"
                                + " FROM relay_message WHERE recipient = ?1 AND recipient_device = ?2"
                                + " AND delivered_at IS NULL")
                        .setParameter(1, recipient.username())
                        .setParameter(2, recipient.deviceId())
                        .getSingleResult());
    return new Queued(((Number) row[0]).longValue(), ((Number) row[1]).longValue());
  }

  @Override
  public List<Receipt> receipts(DeviceAddress sender, int limit) {
    long now = clock.millis();
    return database.inTransaction(
        em ->
            em.createQuery(
                    "SELECT m.messageId, m.recipient, m.recipientDevice FROM QueuedMessage m"
                        + " WHERE m.sender = :s AND m.senderDevice = :d AND m.deliveredAt IS NOT NULL"
                        + " AND m.expiresAt > :now ORDER BY m.deliveredAt, m.seq",
                    Object[].class)
                .setParameter("s", sender.username())
                .setParameter("d", sender.deviceId())
                .setParameter("now", now)
                .setMaxResults(limit)
                .getResultStream()
                .map(row -> new Receipt((String) row[0], (String) row[1], (Integer) row[2]))
                .toList());
  }

  @Override
  public int forgetDevices(String username, Collection<Integer> deviceIds) {
    if (deviceIds.isEmpty()) {
      return 0;
    }
    int purged =
        database.inTransaction(
            em ->
                em.createQuery(
                            "DELETE FROM QueuedMessage m WHERE m.recipient = :u"
                                + " AND m.recipientDevice IN :ids AND m.deliveredAt IS NULL")
                        .setParameter("u", username)
                        .setParameter("ids", deviceIds)
                        .executeUpdate()
                    + em.createQuery(
                            "DELETE FROM QueuedMessage m WHERE m.sender = :u"
                                + " AND m.senderDevice IN :ids AND m.deliveredAt IS NOT NULL")
                        .setParameter("u", username)
                        .setParameter("ids", deviceIds)
                        .executeUpdate());
    usage.forget();
    return purged;
  }

  @Override
  public int purgeExpired(long now) {
    try {
      return expired.purge(now);
    } finally {
      // Also after a failed step: the steps before it stay deleted.
      usage.forget();
    }
  }

  @Override
  public long countPending() {
    return database.inTransaction(
        em ->
            em.createQuery(
                    "SELECT COUNT(m) FROM QueuedMessage m WHERE m.deliveredAt IS NULL", Long.class)
                .getSingleResult());
  }
}
