package com.securecom.server.persistence;

import java.nio.file.Path;

/**
 * Where the database is. The default is an H2 file {@code securecom.mv.db} in the data directory
 * ({@code securecom.data.dir}, see {@link #h2FileUrl}) in PostgreSQL mode (the migrations are
 * written once, for PostgreSQL) with {@code WRITE_DELAY=0}: H2 otherwise keeps commits in memory
 * for up to half a second, and a killed server would lose messages it had already answered {@code
 * accepted}. (H2 does not fsync each commit, so this protects against a process crash, not a power
 * cut: production uses PostgreSQL.) The password, and any URL parameters (where a password may
 * hide), never appear in {@link #toString()}.
 */
public record DatabaseSettings(String url, String user, String password, int maxConnections) {

  /** The options every H2 URL needs (README, Configuration). */
  public static final String H2_OPTIONS =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";

  /** The name of the default database in the data directory; H2 adds {@code .mv.db}. */
  public static final String H2_NAME = "securecom";

  /** The H2 file of that name in {@code directory}, which must not contain {@code ;}. */
  public static String h2FileUrl(Path directory) {
    String path = directory.toAbsolutePath().normalize().resolve(H2_NAME).toString();
    if (path.indexOf(';') >= 0) {
      throw new IllegalArgumentException(
          "securecom.data.dir must not contain ';' (it would end the H2 URL): " + directory);
    }
    return "jdbc:h2:file:" + path + H2_OPTIONS;
  }

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
