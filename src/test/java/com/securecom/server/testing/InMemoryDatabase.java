package com.securecom.server.testing;

import com.securecom.server.account.Account;
import com.securecom.server.account.JpaAccountRepository;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DeviceSets;
import com.securecom.server.device.JpaDeviceRepository;
import com.securecom.server.devicelist.CachedDeviceSets;
import com.securecom.server.devicelist.JpaDeviceListRepository;
import com.securecom.server.persistence.Database;
import com.securecom.server.persistence.DatabaseSettings;
import jakarta.persistence.Query;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A fresh, migrated H2 database (PostgreSQL mode, as in production) of its own, with the real
 * {@link Database} over it. Close it to drop the data.
 */
public final class InMemoryDatabase implements AutoCloseable {
  /**
   * Flyway reports every migration at INFO; keep test output to what failed. Held so it is not
   * collected.
   */
  private static final Logger FLYWAY = Logger.getLogger("org.flywaydb");

  static {
    FLYWAY.setLevel(Level.WARNING);
  }

  private final String url;
  private final Database database;

  private InMemoryDatabase(String url) {
    this.url = url;
    this.database = new Database(new DatabaseSettings(url, "sa", "", 4));
  }

  public static InMemoryDatabase open() {
    String name = "unit-" + UUID.randomUUID();
    return new InMemoryDatabase(
        "jdbc:h2:mem:"
            + name
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
  }

  public Database database() {
    return database;
  }

  /**
   * Adds an account row and its device 1, as registration does (other tables refer to them); its
   * password hash is a placeholder that verifies nothing.
   */
  public void addAccount(String username) {
    JpaAccountRepository accounts = new JpaAccountRepository(database);
    JpaDeviceRepository devices = new JpaDeviceRepository(database);
    database.atomically(
        tx -> {
          accounts.add(tx, new Account(username, "not a hash", 0));
          devices.add(tx, DeviceAddress.first(username), 0);
        });
  }

  /** Adds another device to an existing account. */
  public void addDevice(DeviceAddress device) {
    JpaDeviceRepository devices = new JpaDeviceRepository(database);
    database.atomically(tx -> devices.add(tx, device, 0));
  }

  /**
   * The device sets of this database's accounts, as the relay reads them (cached: a test that adds
   * or removes devices after a read calls {@link DeviceSets#changed}).
   */
  public DeviceSets deviceSets() {
    return new CachedDeviceSets(
        new JpaDeviceListRepository(database),
        new JpaDeviceRepository(database),
        Clock.systemUTC());
  }

  /**
   * Runs a native SQL statement that changes rows, with positional parameters ({@code ?1}, {@code
   * ?2}...), in a transaction of its own; returns how many rows it changed.
   */
  public int update(String sql, Object... parameters) {
    return database.inTransaction(
        em -> {
          Query query = em.createNativeQuery(sql);
          for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
          }
          return query.executeUpdate();
        });
  }

  /**
   * Runs a native SQL query with positional parameters ({@code ?1}, {@code ?2}...) and returns its
   * rows.
   */
  public List<Object[]> rows(String sql, Object... parameters) {
    return database.inTransaction(
        em -> {
          Query query = em.createNativeQuery(sql);
          for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
          }
          List<?> rows = query.getResultList();
          return rows.stream()
              .map(row -> row instanceof Object[] columns ? columns : new Object[] {row})
              .toList();
        });
  }

  /**
   * Waits until some transaction waits for a row lock another holds (H2 names its blocker in {@code
   * INFORMATION_SCHEMA.SESSIONS}); false if none did within {@code within}. H2 gives up waiting for
   * a lock after two seconds, so act soon after this returns.
   */
  public boolean awaitALockWait(Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!rows("SELECT session_id FROM information_schema.sessions WHERE blocker_id IS NOT NULL")
          .isEmpty()) {
        return true;
      }
      Thread.sleep(5);
    }
    return false;
  }

  @Override
  public void close() {
    database.close();
    try (Connection connection = DriverManager.getConnection(url, "sa", "");
        Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop the test database", e);
    }
  }
}
