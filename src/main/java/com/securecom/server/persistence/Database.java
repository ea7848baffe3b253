package com.securecom.server.persistence;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.Persistence;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The migrated database and its resource-local persistence unit.
 *
 * <p>Construction migrates the schema with Flyway, then opens EclipseLink's persistence unit {@code
 * securecom} (declared in {@code META-INF/securecom-persistence.xml}, a name the container does not
 * scan, so the application owns its connection pool and transactions). Each {@link #inTransaction}
 * is a transaction of its own; work that must be atomic across repositories runs in {@link
 * #atomically}, which hands the one {@link Transaction} to each repository method explicitly
 * (nothing is joined behind the caller's back).
 */
public class Database implements AutoCloseable {
  private final EntityManagerFactory emf;
  private final boolean h2File;

  public Database(DatabaseSettings settings) {
    h2File =
        settings.url().startsWith("jdbc:h2:file:")
            || settings.url().startsWith("jdbc:h2:./")
            || settings.url().startsWith("jdbc:h2:~");
    migrate(settings);
    Map<String, Object> properties = new HashMap<>();
    properties.put("eclipselink.persistencexml", "META-INF/securecom-persistence.xml");
    properties.put("jakarta.persistence.jdbc.driver", settings.driverClassName());
    properties.put("jakarta.persistence.jdbc.url", settings.url());
    properties.put("jakarta.persistence.jdbc.user", settings.user());
    properties.put("jakarta.persistence.jdbc.password", settings.password());
    properties.put("eclipselink.connection-pool.default.initial", "1");
    properties.put("eclipselink.connection-pool.default.min", "1");
    properties.put(
        "eclipselink.connection-pool.default.max", String.valueOf(settings.maxConnections()));
    properties.put("eclipselink.classloader", Database.class.getClassLoader());
    properties.put("eclipselink.session.customizer", FailFastOnOutage.class.getName());
    emf = Persistence.createEntityManagerFactory("securecom", properties);
  }

  private static void migrate(DatabaseSettings settings) {
    migrations(settings).load().migrate();
  }

  /**
   * Every schema migration, SQL and Java, as the constructor applies them. Tests use it to build a
   * database at an older version and check what the next migration does to its rows.
   */
  public static FluentConfiguration migrations(DatabaseSettings settings) {
    return Flyway.configure(Database.class.getClassLoader())
        .dataSource(settings.url(), settings.user(), settings.password())
        .locations("classpath:db/migration")
        .javaMigrations(H2SequenceCache.ofMessage(), H2SequenceCache.ofRelayMessage());
  }

  /** Runs {@code work} in a transaction of its own and returns its result. */
  public <T> T inTransaction(Function<EntityManager, T> work) {
    EntityManager em = emf.createEntityManager();
    EntityTransaction tx = em.getTransaction();
    try {
      tx.begin();
      T result = work.apply(em);
      tx.commit();
      return result;
    } finally {
      if (tx.isActive()) {
        tx.rollback();
      }
      em.close();
    }
  }

  /** Runs {@code work} in a transaction of its own. */
  public void execute(Consumer<EntityManager> work) {
    inTransaction(
        em -> {
          work.accept(em);
          return null;
        });
  }

  /**
   * Runs {@code work} in one transaction that it passes to every repository method taking a {@link
   * Transaction}: all their writes commit together, or none if {@code work} throws.
   */
  public void atomically(Consumer<Transaction> work) {
    execute(em -> work.accept(new Transaction(em)));
  }

  /** True if the database answers a trivial query. */
  public boolean isReachable() {
    try {
      return inTransaction(em -> em.createNativeQuery("SELECT 1").getSingleResult() != null);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Compacts an H2 file database for at most {@code maxMillis} (see {@link H2Compaction}); false
   * for any other database (PostgreSQL's autovacuum keeps its own files in check).
   */
  public boolean compact(int maxMillis) {
    if (!h2File) {
      return false;
    }
    return inTransaction(
        em -> {
          try {
            return H2Compaction.compact(em.unwrap(java.sql.Connection.class), maxMillis);
          } catch (java.sql.SQLException e) {
            throw new jakarta.persistence.PersistenceException("compaction failed", e);
          }
        });
  }

  @Override
  public void close() {
    emf.close();
  }
}
