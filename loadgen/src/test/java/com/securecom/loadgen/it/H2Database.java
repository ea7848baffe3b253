package com.securecom.loadgen.it;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/**
 * The server's default kind of database: an H2 file, with the server's default settings ({@code
 * WRITE_DELAY=0}, so that a commit is in the file before the server answers {@code accepted}), in a
 * directory of the test's.
 */
final class H2Database extends ServerDatabase {
  private static final String SETTINGS =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
  private final Path file;

  H2Database(Path directory) {
    this.file = directory.resolve("securecom").toAbsolutePath();
  }

  @Override
  String name() {
    return "H2";
  }

  @Override
  List<String> serverProperties() {
    return List.of("-Dsecurecom.db.url=jdbc:h2:file:" + file + SETTINGS);
  }

  @Override
  Connection open() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:h2:file:" + file + SETTINGS + ";IFEXISTS=TRUE", "sa", "");
  }

  @Override
  public void close() {
    // the files stay in the test's directory, for a look after a failure
  }
}
