package com.securecom.loadgen.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The database a test server keeps its data in, across restarts: the system properties that point
 * the server at it, and a look at what the relay left in it.
 */
abstract class ServerDatabase implements AutoCloseable {
  /** "H2" or "PostgreSQL", for test names and messages. */
  abstract String name();

  /** The server's {@code -Dsecurecom.db.*} options. */
  abstract List<String> serverProperties();

  /**
   * A JDBC connection of the test's own (for H2: only while the server is stopped; the file is
   * locked).
   */
  abstract Connection open() throws SQLException;

  /**
   * The rows of the relay's {@code message} table, as "sender/id -> recipient (undelivered|receipt
   * pending)". A row stays from {@code accepted} until the sender saw the receipt; after a settled
   * run there is none.
   */
  List<String> remainingMessages() throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = open();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT sender, message_id, recipient, delivered_at FROM message ORDER BY sender, message_id")) {
      while (r.next()) {
        r.getLong(4);
        boolean undelivered = r.wasNull();
        rows.add(
            r.getString(1)
                + "/"
                + r.getString(2)
                + " -> "
                + r.getString(3)
                + (undelivered ? " (undelivered)" : " (receipt pending)"));
      }
    }
    return rows;
  }

  @Override
  public String toString() {
    return name();
  }
}
