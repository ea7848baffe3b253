package com.securecom.server.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A schema version that changes something on H2 only: the relay's queue table's identity sequence
 * hands out its values from a cache of {@value #CACHE} instead of H2's default of 32. Version 3 did
 * it for {@code message}, version 7 does it for {@code relay_message}, which replaced it in version
 * 6.
 *
 * <p>H2 records a sequence's position by committing its whole store every time the cache runs out:
 * with the default, an extra store commit (every dirty page serialised) per 32 stored messages, a
 * fifth of the relay writer's time under load, and half the cost of an insert in a batch of 512
 * (130-146 against 61-64 µs per insert in one measurement). A larger cache only makes the gap after
 * a crash larger: H2 hands the values out in order from one counter for all sessions, so they keep
 * following the order of the inserts, which is all the queue's order ({@code seq}) needs.
 *
 * <p>PostgreSQL is left as it is: there a sequence's cache belongs to each session, and two pooled
 * connections would hand out values that do not follow the order of the inserts.
 */
final class H2SequenceCache implements JavaMigration {
  static final int CACHE = 10_000;

  /** Version 3, for the {@code message} table of versions 1 to 5. */
  static H2SequenceCache ofMessage() {
    return new H2SequenceCache("3", "message", "message sequence cache on H2");
  }

  /** Version 7, for the {@code relay_message} table of version 6. */
  static H2SequenceCache ofRelayMessage() {
    return new H2SequenceCache("7", "relay_message", "relay message sequence cache on H2");
  }

  private final String version;
  private final String table;
  private final String description;

  private H2SequenceCache(String version, String table, String description) {
    this.version = version;
    this.table = table;
    this.description = description;
  }

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion(version);
  }

  @Override
  public String getDescription() {
    return description;
  }

  @Override
  public Integer getChecksum() {
    return CACHE;
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection connection = context.getConnection();
    if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
      return;
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("ALTER TABLE " + table + " ALTER COLUMN seq SET CACHE " + CACHE);
    }
  }
}
