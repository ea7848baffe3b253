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

/**
 * The migrated database and its resource-local persistence unit.
 *
 * <p>Construction migrates the schema with Flyway, then opens EclipseLink's persistence unit {@code
 * securecom} (declared in {@code META-INF/securecom-persistence.xml}, a name the container does not
 * scan, so the application owns its connection pool and transactions). {@link #inTransaction} runs
 * work in one transaction per thread: a call made while one is already open joins it, so a service
 * can make several repositories' writes atomic.
 */
public class Database implements AutoCloseable {
  private final EntityManagerFactory emf;
  private final ThreadLocal<EntityManager> current = new ThreadLocal<>();
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
    Flyway.configure(Database.class.getClassLoader())
        .dataSource(settings.url(), settings.user(), settings.password())
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  /** Runs {@code work} in a transaction (joining the thread's open one) and returns its result. */
  public <T> T inTransaction(Function<EntityManager, T> work) {
    EntityManager open = current.get();
    if (open != null) {
      return work.apply(open);
    }
    EntityManager em = emf.createEntityManager();
    current.set(em);
    EntityTransaction tx = em.getTransaction();
    try {
      tx.begin();
      T result = work.apply(em);
      tx.commit();
      return result;
    } finally {
      current.remove();
      if (tx.isActive()) {
        tx.rollback();
      }
      em.close();
    }
  }

  /** Runs {@code work} in a transaction (joining the thread's open one). */
  public void execute(Consumer<EntityManager> work) {
    inTransaction(
        em -> {
          work.accept(em);
          return null;
        });
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
