package com.securecom.server.persistence;

/**
 * Where the database is. The default is an H2 file under {@code ./data/} in PostgreSQL mode (the
 * migrations are written once, for PostgreSQL) with {@code WRITE_DELAY=0}: H2 otherwise keeps
 * commits in memory for up to half a second, and a killed server would lose messages it had already
 * answered {@code accepted}. (H2 does not fsync each commit, so this protects against a process
 * crash, not a power cut: production uses PostgreSQL.) The password, and any URL parameters (where
 * a password may hide), never appear in {@link #toString()}.
 */
public record DatabaseSettings(String url, String user, String password, int maxConnections) {

  public static final String DEFAULT_URL =
      "jdbc:h2:file:./data/securecom;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";

  public boolean isH2() {
    return url.startsWith("jdbc:h2:");
  }

  public String driverClassName() {
    if (isH2()) {
      return "org.h2.Driver";
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return "org.postgresql.Driver";
    }
    throw new IllegalArgumentException(
        "securecom.db.url must be a jdbc:h2: or jdbc:postgresql: URL");
  }

  @Override
  public String toString() {
    int query = url.indexOf('?');
    String shown = query < 0 ? url : url.substring(0, query) + "?[REDACTED]";
    return "DatabaseSettings[url="
        + shown
        + ", user="
        + user
        + ", password=[REDACTED], maxConnections="
        + maxConnections
        + "]";
  }
}
