package com.securecom.loadgen.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL database of its own for one test, created empty (dropped first if an earlier run
 * left it) through the server's {@code postgres} maintenance database and dropped again at {@link
 * #close()}. User {@code postgres}, no password (the CI's trust authentication).
 */
final class PostgresDatabase extends ServerDatabase {
  private static final Pattern URL =
      Pattern.compile("(jdbc:postgresql://[^/]+/)([A-Za-z_][A-Za-z0-9_]*)(\\?.*)?");
  private static final String USER = "postgres";
  private final String url;
  private final String maintenanceUrl;
  private final String database;

  /**
   * Creates the database named in {@code url} (e.g. {@code
   * jdbc:postgresql://127.0.0.1:5432/securecom_crash}).
   */
  static PostgresDatabase create(String url) throws SQLException {
    Matcher m = URL.matcher(url);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "it.pg.url must look like jdbc:postgresql://host:port/name, not " + url);
    }
    String query = m.group(3) == null ? "" : m.group(3);
    PostgresDatabase db = new PostgresDatabase(url, m.group(1) + "postgres" + query, m.group(2));
    db.maintenance("DROP DATABASE IF EXISTS " + db.database + " WITH (FORCE)");
    db.maintenance("CREATE DATABASE " + db.database);
    return db;
  }

  private PostgresDatabase(String url, String maintenanceUrl, String database) {
    this.url = url;
    this.maintenanceUrl = maintenanceUrl;
    this.database = database;
  }

  private void maintenance(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(maintenanceUrl, USER, null);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Override
  String name() {
    return "PostgreSQL";
  }

  @Override
  List<String> serverProperties() {
    return List.of("-Dsecurecom.db.url=" + url, "-Dsecurecom.db.user=" + USER);
  }

  @Override
  Connection open() throws SQLException {
    return DriverManager.getConnection(url, USER, null);
  }

  @Override
  public void close() throws SQLException {
    maintenance("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  }
}
