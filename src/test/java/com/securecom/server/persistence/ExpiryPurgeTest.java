package com.securecom.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.server.testing.CountingDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A purge of expired rows is bounded: 1,000 rows per transaction, 10 transactions per purge, the
 * rest at the next (on H2 here; ExpiryPurgeIT runs the housekeeping purges on PostgreSQL too).
 */
class ExpiryPurgeTest {
  private static final long NOW = 1_764_547_200_000L;

  private CountingDatabase database;
  private ExpiryPurge purge;
  private long nextId;

  @BeforeEach
  void table() {
    database =
        new CountingDatabase(
            new DatabaseSettings(
                "jdbc:h2:mem:purge-"
                    + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE",
                "sa",
                "",
                2));
    database.execute(
        em ->
            em.createNativeQuery(
                    "CREATE TABLE purged (id BIGINT PRIMARY KEY, expires_at BIGINT NOT NULL)")
                .executeUpdate());
    purge = new ExpiryPurge(database, "purged", "id", "expires_at");
  }

  @AfterEach
  void drop() {
    database.close();
  }

  /** Adds {@code count} rows that expire at {@code expiresAt}. */
  private void add(int count, long expiresAt) {
    database.execute(
        em -> {
          try (PreparedStatement insert =
              em.unwrap(Connection.class)
                  .prepareStatement("INSERT INTO purged (id, expires_at) VALUES (?, ?)")) {
            for (int i = 0; i < count; i++) {
              insert.setLong(1, nextId++);
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

  private long rows() {
    return database.inTransaction(
        em ->
            ((Number) em.createNativeQuery("SELECT COUNT(*) FROM purged").getSingleResult())
                .longValue());
  }

  @Test
  void expiredRows_goInTransactionsOf1000_andUnexpiredOnesStay() {
    add(2_500, NOW - 1);
    add(1, NOW);
    add(3, NOW + 1);

    assertThat(purge.purge(NOW)).isEqualTo(2_501);
    assertThat(database.transactionsSinceLastAsked()).isEqualTo(3);
    assertThat(rows()).as("the unexpired").isEqualTo(3);
  }

  @Test
  void aPurgeStopsAt10000Rows_andTheNextTakesTheRest() {
    add(12_000, NOW - 60_000);
    add(3, NOW + 1);

    assertThat(purge.purge(NOW)).isEqualTo(10_000);
    assertThat(database.transactionsSinceLastAsked()).isEqualTo(10);
    assertThat(purge.purge(NOW)).isEqualTo(2_000);
    assertThat(database.transactionsSinceLastAsked()).isEqualTo(3);
    assertThat(rows()).isEqualTo(3);
  }

  @Test
  void exactly1000Expired_takeASecondTransactionThatFindsNone() {
    add(1_000, NOW);

    assertThat(purge.purge(NOW)).isEqualTo(1_000);
    assertThat(database.transactionsSinceLastAsked()).isEqualTo(2);
  }

  @Test
  void nothingExpired_isOneTransaction() {
    add(5, NOW + 1);

    assertThat(purge.purge(NOW)).isZero();
    assertThat(database.transactionsSinceLastAsked()).isEqualTo(1);
    assertThat(rows()).isEqualTo(5);
  }
}
