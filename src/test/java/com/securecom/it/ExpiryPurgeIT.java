package com.securecom.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.server.device.DeviceAddress;
import com.securecom.server.devicelist.JpaTicketRepository;
import com.securecom.server.link.JpaMailboxRepository;
import com.securecom.server.persistence.DatabaseSettings;
import com.securecom.server.relay.StoredMessage;
import com.securecom.server.relay.store.JpaMessageRepository;
import com.securecom.server.session.JpaSessionRepository;
import com.securecom.server.testing.CountingDatabase;
import com.securecom.testkit.TestDatabase;
import com.securecom.testkit.WorkDirectories;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.ToIntBiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each purge of the housekeeping job, through its repository, on the database of the run (H2, and
 * PostgreSQL in the {@code postgres} profile, a database of the test's own): at most 1,000 rows per
 * transaction and 10,000 per run, the rest at the next run; unexpired rows stay, and the count is
 * what was deleted. (Before, each was one {@code DELETE} of everything expired.) And what a bounded
 * purge leaves for its next run: expired messages, which are handed out no more.
 */
class ExpiryPurgeIT {
  private static final boolean POSTGRES = "postgres".equals(System.getProperty("it.db.name"));
  private static final long NOW = 1_764_547_200_000L;

  /** A housekeeping purge: its table, a row of it, and the repository call that purges it. */
  enum Purge {
    MESSAGES(
        "INSERT INTO relay_message (sender, sender_device, message_id, recipient,"
            + " recipient_device, envelope, sent_at, expires_at) VALUES ('alice', 1, ?, 'alice', 1,"
            + " NULL, 0, ?)",
        (database, now) -> new JpaMessageRepository(database, Clock.systemUTC()).purgeExpired(now)),
    SESSIONS(
        "INSERT INTO session_token (token_hash, username, device_id, created_at, expires_at)"
            + " VALUES (?, 'alice', 1, 0, ?)",
        (database, now) -> new JpaSessionRepository(database).deleteExpired(now)),
    LINKING_TICKETS(
        "INSERT INTO device_ticket (ticket_hash, username, created_at, expires_at)"
            + " VALUES (?, 'alice', 0, ?)",
        (database, now) -> new JpaTicketRepository(database).deleteExpired(now)),
    LINK_MAILBOXES(
        "INSERT INTO link_mailbox (mailbox_id, created_at, expires_at) VALUES (?, 0, ?)",
        (database, now) -> new JpaMailboxRepository(database).deleteExpired(now));

    final String insert;
    final ToIntBiFunction<CountingDatabase, Long> run;

    Purge(String insert, ToIntBiFunction<CountingDatabase, Long> run) {
      this.insert = insert;
      this.run = run;
    }

    String table() {
      return insert.split(" ")[2];
    }
  }

  private TestDatabase testDatabase;
  private CountingDatabase database;
  private int nextKey;

  @BeforeEach
  void emptyDatabase() throws Exception {
    DatabaseSettings settings;
    if (POSTGRES) {
      TestDatabase.Postgres postgres =
          TestDatabase.postgres(
              TestDatabase.Postgres.withDatabase(
                  System.getProperty("it.db.url"), "securecom_purge_it"),
              System.getProperty("it.db.user", "postgres"));
      testDatabase = postgres;
      settings = new DatabaseSettings(postgres.url(), "postgres", "", 2);
    } else {
      TestDatabase.H2 h2 = TestDatabase.h2(WorkDirectories.create(ExpiryPurgeIT.class));
      testDatabase = h2;
      settings = new DatabaseSettings(h2.url(), "sa", "", 2);
    }
    database = new CountingDatabase(settings);
    sql("INSERT INTO account (username, password_hash, created_at) VALUES ('alice', 'a hash', 0)");
    sql("INSERT INTO device (username, device_id, created_at) VALUES ('alice', 1, 0)");
  }

  @AfterEach
  void dropDatabase() throws Exception {
    database.close();
    testDatabase.close();
  }

  @ParameterizedTest
  @EnumSource(Purge.class)
  void aRunPurges2500ExpiredRowsIn3Transactions_andLeavesTheUnexpired(Purge purge) {
    add(purge, 2_500, NOW - 1);
    add(purge, 4, NOW + 1);

    assertThat(purge.run.applyAsInt(database, NOW)).isEqualTo(2_500);
    assertThat(database.transactionsSinceLastAsked()).isEqualTo(3);
    assertThat(rows(purge)).as("the unexpired").isEqualTo(4);
  }

  @ParameterizedTest
  @EnumSource(Purge.class)
  void aRunPurgesAt10000Rows_andTheNextRunTheRest(Purge purge) {
    add(purge, 12_000, NOW - 60_000);
    add(purge, 4, NOW + 1);

    assertThat(purge.run.applyAsInt(database, NOW)).isEqualTo(10_000);
    assertThat(database.transactionsSinceLastAsked()).isEqualTo(10);
    assertThat(purge.run.applyAsInt(database, NOW)).isEqualTo(2_000);
    assertThat(database.transactionsSinceLastAsked()).isEqualTo(3);
    assertThat(rows(purge)).isEqualTo(4);
  }

  /**
   * Expired messages a purge has not reached yet are not delivered, their late acknowledgement
   * applies to nothing, and a receipt owed for one is not sent: the repository's queries say so on
   * this database too.
   */
  @Test
  void expiredMessagesThePurgeHasNotReached_areNeitherDeliveredNorReceipted() {
    sql("INSERT INTO account (username, password_hash, created_at) VALUES ('bob', 'a hash', 0)");
    sql("INSERT INTO device (username, device_id, created_at) VALUES ('bob', 1, 0)");
    JpaMessageRepository messages =
        new JpaMessageRepository(database, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
    DeviceAddress alice = DeviceAddress.first("alice");
    DeviceAddress bob = DeviceAddress.first("bob");
    for (String id : List.of("expired", "receipted", "live")) {
      long expiresAt = id.equals("live") ? NOW + 60_000 : NOW;
      messages.store(
          new StoredMessage(0, "alice", id, "bob", new byte[] {1}, NOW - 60_000, expiresAt), 100);
    }
    assertThat(messages.acknowledge(bob, alice, "receipted", NOW - 1)).isTrue();

    assertThat(messages.pending(bob, 0, 16)).extracting(StoredMessage::id).containsExactly("live");
    assertThat(messages.acknowledge(bob, alice, "expired", NOW)).isFalse();
    assertThat(messages.receipts(alice, 10)).isEmpty();
    assertThat(rows(Purge.MESSAGES)).as("all still stored").isEqualTo(3);
  }

  /** Adds {@code count} rows of {@code purge}'s table that expire at {@code expiresAt}. */
  private void add(Purge purge, int count, long expiresAt) {
    database.execute(
        em -> {
          try (PreparedStatement insert =
              em.unwrap(Connection.class).prepareStatement(purge.insert)) {
            for (int i = 0; i < count; i++) {
              int key = nextKey++;
              insert.setObject(
                  1,
                  purge == Purge.MESSAGES
                      ? "m" + key
                      : ByteBuffer.allocate(32).putInt(key).array());
              insert.setLong(2, expiresAt);
              insert.addBatch();
            }
            insert.executeBatch();
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
    database.transactionsSinceLastAsked();
  }

  private long rows(Purge purge) {
    return database.inTransaction(
        em ->
            ((Number)
                    em.createNativeQuery("SELECT COUNT(*) FROM " + purge.table()).getSingleResult())
                .longValue());
  }

  private void sql(String statement) {
    database.execute(em -> em.createNativeQuery(statement).executeUpdate());
  }
}
