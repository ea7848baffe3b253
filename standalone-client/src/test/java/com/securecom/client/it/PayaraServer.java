package com.securecom.client.it;

import com.securecom.testkit.PayaraMicro;
import com.securecom.testkit.SelfSignedTls;
import com.securecom.testkit.TestDatabase;
import com.securecom.testkit.WorkDirectories;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real SecureCom server per test class (the test kit's {@link PayaraMicro}), on a free port,
 * with its own H2 database and server key under {@code target/it/<class>-*}. Register it as a
 * static field with {@code @RegisterExtension}; it starts before the class's first test and is
 * stopped after its last one. The server's output is kept in {@code server.log} there.
 *
 * <p>The database is opened with H2's {@code AUTO_SERVER=TRUE}, so a test can open it too while the
 * server runs ({@link #openDatabase()}): to read what the server stores, or to play a malicious
 * registry. With the system property {@code it.db.url} (the {@code postgres} profile) the server
 * runs on PostgreSQL instead: a database of the class's own on that server, named after the class,
 * created before the server starts and dropped after it stopped.
 */
final class PayaraServer implements BeforeAllCallback, AfterAllCallback {
  /**
   * The name the TLS certificate is for, besides localhost and 127.0.0.1 (tests resolve it to
   * 127.0.0.1).
   */
  static final String TLS_NAME = "chat.securecom.test";

  static final String STORE_PASSWORD = SelfSignedTls.PASSWORD;

  private final boolean tls;
  private Path work;
  private TestDatabase database;
  private SelfSignedTls certificate;
  private PayaraMicro server;

  PayaraServer() {
    this(false);
  }

  private PayaraServer(boolean tls) {
    this.tls = tls;
  }

  /**
   * A server that also serves HTTPS, as the README's TLS recipe sets it up ({@link SelfSignedTls}
   * for {@value #TLS_NAME}). {@link #truststore()} holds that certificate only, as an operator
   * would hand it to clients.
   */
  static PayaraServer withTls() {
    return new PayaraServer(true);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    work = WorkDirectories.create(context.getRequiredTestClass());
    String postgres = System.getProperty("it.db.url");
    database =
        postgres == null
            ? TestDatabase.h2Shared(work.resolve("db"))
            : TestDatabase.postgres(
                TestDatabase.Postgres.withDatabase(
                    postgres,
                    "securecom_" + context.getRequiredTestClass().getSimpleName().toLowerCase()),
                System.getProperty("it.db.user", "postgres"));
    PayaraMicro.Builder builder =
        PayaraMicro.in(work)
            .database(database)
            .serverKey(work.resolve("server.key"))
            .generousLimits();
    if (tls) {
      certificate = SelfSignedTls.create(work, TLS_NAME);
      builder.tls(certificate);
    }
    server = builder.start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (server != null) {
      server.close();
    }
    if (database != null) {
      database.close();
    }
  }

  /** The server's base URL, e.g. {@code http://127.0.0.1:41234/}. */
  URI uri() {
    return server.uri();
  }

  /** The HTTPS base URL, {@code https://localhost:<port>/} (TLS servers only). */
  URI httpsUri() {
    return server.httpsUri();
  }

  int httpsPort() {
    return server.httpsPort();
  }

  /** A PKCS#12 truststore with the server's certificate (password {@value #STORE_PASSWORD}). */
  Path truststore() {
    return certificate.truststore();
  }

  /** This class's scratch directory (client profiles go here too). */
  Path workDirectory() {
    return work;
  }

  /** True if the server keeps its data in an H2 file ({@link #databaseDirectory()}). */
  boolean onH2() {
    return database instanceof TestDatabase.H2;
  }

  /** "H2" or "PostgreSQL". */
  String databaseName() {
    return database.name();
  }

  /**
   * Where H2 keeps the server's database files ({@code securecom.mv.db}, ...).
   *
   * @throws IllegalStateException on PostgreSQL, whose files this test does not see
   */
  Path databaseDirectory() {
    if (!(database instanceof TestDatabase.H2 h2)) {
      throw new IllegalStateException("the server runs on " + database.name() + ", not on H2");
    }
    return h2.directory();
  }

  /**
   * A JDBC connection to the server's database, alongside the running server (H2 AUTO_SERVER, or
   * PostgreSQL).
   */
  Connection openDatabase() throws SQLException {
    return database.open();
  }

  /**
   * Starts the stopped server again on the port, database and key it had: what its clients see as a
   * restart ({@link #stop()} first).
   */
  void startAgain() throws Exception {
    server.start();
  }

  /** Stops the server: a normal shutdown first, then a forced one. Idempotent. */
  void stop() throws InterruptedException {
    server.stop();
  }
}
