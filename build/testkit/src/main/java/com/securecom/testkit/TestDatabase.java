package com.securecom.testkit;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database a test server keeps its data in, across restarts: the system properties that point
 * the server at it ({@link PayaraMicro.Builder#database}), and a JDBC connection of the test's own.
 * Either an H2 file ({@link #h2}, {@link #h2Shared}) or a PostgreSQL database of the test's own
 * ({@link #postgres}). The JDBC driver comes from the test's class path.
 */
public abstract sealed class TestDatabase implements AutoCloseable {
  private TestDatabase() {}

  /**
   * An H2 file {@code securecom} in {@code directory}, with the server's default settings ({@code
   * WRITE_DELAY=0}: a commit is in the file before the server answers {@code accepted}). The test
   * can {@linkplain #open() open} it only while the server is stopped (the file is locked).
   */
  public static H2 h2(Path directory) {
    return new H2(directory, false);
  }

  /**
   * The same, opened by the server with H2's {@code AUTO_SERVER=TRUE}, so that the test can open it
   * too while the server runs.
   */
  public static H2 h2Shared(Path directory) {
    return new H2(directory, true);
  }

  /**
   * A new, empty PostgreSQL database named in {@code url} (e.g. {@code
   * jdbc:postgresql://127.0.0.1:5432/securecom_crash}), dropped first if an earlier run left it,
   * created through the server's {@code postgres} maintenance database and dropped again at {@link
   * #close()}. {@code user} without a password (the CI's trust authentication).
   */
  public static Postgres postgres(String url, String user) throws SQLException {
    Postgres db = new Postgres(url, user);
    db.maintenance("DROP DATABASE IF EXISTS " + db.database + " WITH (FORCE)");
    db.maintenance("CREATE DATABASE " + db.database);
    return db;
  }

  /** {@link #postgres(String, String)} as user {@code postgres}. */
  public static Postgres postgres(String url) throws SQLException {
    return postgres(url, "postgres");
  }

  /** "H2" or "PostgreSQL", for test names and messages. */
  public abstract String name();

  /** The server's {@code securecom.db.*} system properties. */
  public abstract Map<String, String> serverProperties();

  /** A JDBC connection of the test's own. */
  public abstract Connection open() throws SQLException;

  @Override
  public String toString() {
    return name();
  }

  /** An H2 file database; its files stay in the test's directory, for a look after a failure. */
  public static final class H2 extends TestDatabase {
    private static final String SETTINGS =
        ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
    private final Path directory;
    private final boolean shared;

    private H2(Path directory, boolean shared) {
      this.directory = directory.toAbsolutePath();
      this.shared = shared;
    }

    /** The server's JDBC URL. */
    public String url() {
      return "jdbc:h2:file:"
          + directory.resolve("securecom")
          + SETTINGS
          + (shared ? ";AUTO_SERVER=TRUE" : "");
    }

    /** Where H2 keeps the database's files ({@code securecom.mv.db}, ...). */
    public Path directory() {
      return directory;
    }

    @Override
    public String name() {
      return "H2";
    }

    @Override
    public Map<String, String> serverProperties() {
      return Map.of("securecom.db.url", url());
    }

    @Override
    public Connection open() throws SQLException {
      return DriverManager.getConnection(shared ? url() : url() + ";IFEXISTS=TRUE", "sa", "");
    }

    @Override
    public void close() {
      // the files stay
    }
  }

  /** A PostgreSQL database of the test's own, dropped at {@link #close()}. */
  public static final class Postgres extends TestDatabase {
    private static final Pattern URL =
        Pattern.compile("(jdbc:postgresql://[^/?]+)/([A-Za-z_][A-Za-z0-9_]*)(\\?.*)?");
    private final String url;
    private final String user;
    private final String maintenanceUrl;
    private final String database;

    private Postgres(String url, String user) {
      Matcher m = URL.matcher(url);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "a PostgreSQL URL must look like jdbc:postgresql://host:port/name, not " + url);
      }
      this.url = url;
      this.user = user;
      this.database = m.group(2);
      this.maintenanceUrl = m.group(1) + "/postgres" + (m.group(3) == null ? "" : m.group(3));
    }

    /**
     * {@code url} (jdbc:postgresql://host:port/name?params) pointing at database {@code name}
     * instead.
     */
    public static String withDatabase(String url, String name) {
      return url.replaceFirst("^(jdbc:postgresql://[^/?]+)(/[^?]*)?", "$1/" + name);
    }

    public String url() {
      return url;
    }

    @Override
    public String name() {
      return "PostgreSQL";
    }

    @Override
    public Map<String, String> serverProperties() {
      Map<String, String> properties = new LinkedHashMap<>();
      properties.put("securecom.db.url", url);
      properties.put("securecom.db.user", user);
      return properties;
    }

    @Override
    public Connection open() throws SQLException {
      return DriverManager.getConnection(url, user, null);
    }

    private void maintenance(String sql) throws SQLException {
      try (Connection c = DriverManager.getConnection(maintenanceUrl, user, null);
          Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }

    @Override
    public void close() throws SQLException {
      maintenance("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }
}
