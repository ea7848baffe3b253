package com.securecom.client.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real SecureCom server per test class: Payara Micro, as a child process, running (a copy of)
 * the WAR the root build made, on a free port, with its own H2 database and server key under {@code
 * target/it/<class>-*}. Register it as a static field with {@code @RegisterExtension}; it starts
 * before the class's first test (ready once Payara says so and {@code GET /health/ready} answers
 * 200) and is stopped (destroy, then destroyForcibly) after its last one. The server's output is
 * kept in {@code server.log} there.
 *
 * <p>The database is opened with H2's {@code AUTO_SERVER=TRUE}, so a test can open it too while the
 * server runs ({@link #openDatabase()}): to read what the server stores, or to play a malicious
 * registry.
 */
final class PayaraServer implements BeforeAllCallback, AfterAllCallback {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern READY = Pattern.compile("Payara Micro .* ready");
  private static final int START_ATTEMPTS = 2;

  /**
   * The name the TLS certificate is for, besides localhost and 127.0.0.1 (tests resolve it to
   * 127.0.0.1).
   */
  static final String TLS_NAME = "chat.securecom.test";

  static final String STORE_PASSWORD = "keystore-password";

  private final boolean tls;
  private Path work;
  private Process process;
  private URI uri;
  private int httpsPort;
  private Thread shutdownHook;
  private final Deque<String> lastLines = new ArrayDeque<>();

  PayaraServer() {
    this(false);
  }

  private PayaraServer(boolean tls) {
    this.tls = tls;
  }

  /**
   * A server that also serves HTTPS, as the README's TLS recipe sets it up: a keystore made with
   * keytool (a self-signed certificate for {@value #TLS_NAME}, localhost and 127.0.0.1) given to
   * Payara Micro with {@code -Djavax.net.ssl.keyStore}, {@code --sslport} and {@code --sslcert}.
   * {@link #truststore()} holds that certificate only, as an operator would hand it to clients.
   */
  static PayaraServer withTls() {
    return new PayaraServer(true);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Path base = Path.of(System.getProperty("securecom.it.work", "target/it")).toAbsolutePath();
    Files.createDirectories(base);
    work = Files.createTempDirectory(base, context.getRequiredTestClass().getSimpleName() + "-");
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    stop();
    deleteTree(work.resolve("payara")); // Payara's unpacked runtime: 100+ MB, of no use afterwards
    Files.deleteIfExists(work.resolve("securecom.war"));
  }

  /** The server's base URL, e.g. {@code http://127.0.0.1:41234/}. */
  URI uri() {
    return uri;
  }

  /** The HTTPS base URL, {@code https://localhost:<port>/} (TLS servers only). */
  URI httpsUri() {
    return URI.create("https://localhost:" + httpsPort + "/");
  }

  int httpsPort() {
    return httpsPort;
  }

  /** A PKCS#12 truststore with the server's certificate (password {@value #STORE_PASSWORD}). */
  Path truststore() {
    return work.resolve("truststore.p12");
  }

  /** This class's scratch directory (client profiles go here too). */
  Path workDirectory() {
    return work;
  }

  /** Where H2 keeps the server's database files ({@code securecom.mv.db}, ...). */
  Path databaseDirectory() {
    return work.resolve("db");
  }

  /** A JDBC connection to the server's database, alongside the running server (H2 AUTO_SERVER). */
  Connection openDatabase() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), "sa", "");
  }

  private String jdbcUrl() {
    return "jdbc:h2:file:"
        + databaseDirectory().resolve("securecom")
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;AUTO_SERVER=TRUE";
  }

  private void start() throws Exception {
    Path war = snapshot(requiredFile("securecom.war", "../target/securecom.war"));
    Path payara = requiredFile("payara.micro.jar", "../target/payara-micro.jar");
    Files.createDirectories(databaseDirectory());
    if (tls) {
      makeKeystores();
    }
    for (int attempt = 1; ; attempt++) {
      int port = freePort();
      httpsPort = tls ? freePort() : 0;
      try {
        launch(war, payara, port);
        return;
      } catch (IllegalStateException failed) {
        stop();
        if (attempt == START_ATTEMPTS) {
          throw failed;
        }
      }
    }
  }

  private void launch(Path war, Path payara, int port) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dsecurecom.db.url=" + jdbcUrl(),
                "-Dsecurecom.server-key.file=" + work.resolve("server.key"),
                "-Dsecurecom.register.per-address=100000",
                "-Dsecurecom.login.failures-per-address=100000",
                "-Dsecurecom.channel.rate.per-second=5000",
                "-Dsecurecom.channel.rate.burst=5000"));
    if (tls) {
      command.addAll(
          List.of(
              "-Djavax.net.ssl.keyStore=" + work.resolve("keystore.p12"),
              "-Djavax.net.ssl.keyStorePassword=" + STORE_PASSWORD));
    }
    command.addAll(
        List.of(
            "-jar",
            payara.toString(),
            "--deploy",
            war.toString(),
            "--contextroot",
            "/",
            "--port",
            Integer.toString(port),
            "--nocluster",
            "--nohazelcast",
            "--disablephonehome",
            "--rootdir",
            work.resolve("payara").toString()));
    if (tls) {
      command.addAll(List.of("--sslport", Integer.toString(httpsPort), "--sslcert", "securecom"));
    }
    Process started =
        new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
    process = started;
    shutdownHook = new Thread(started::destroyForcibly); // if the test JVM ends first
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    CountDownLatch ready = new CountDownLatch(1);
    Thread pump = new Thread(() -> copyOutput(started, ready), "payara-output");
    pump.setDaemon(true);
    pump.start();

    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!ready.await(250, TimeUnit.MILLISECONDS)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Payara Micro exited with " + process.exitValue() + " before it was ready:\n" + tail());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Payara Micro was not ready within " + START_TIMEOUT + ":\n" + tail());
      }
    }
    uri = URI.create("http://127.0.0.1:" + port + "/");
    awaitHealthy(deadline);
  }

  /**
   * The README's recipe: a key pair and self-signed certificate with keytool, and a truststore of
   * the certificate.
   */
  private void makeKeystores() throws Exception {
    Path keystore = work.resolve("keystore.p12");
    Path certificate = work.resolve("securecom.pem");
    keytool(
        "-genkeypair",
        "-alias",
        "securecom",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-validity",
        "30",
        "-dname",
        "CN=" + TLS_NAME,
        "-ext",
        "SAN=dns:" + TLS_NAME + ",dns:localhost,ip:127.0.0.1",
        "-keystore",
        keystore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        STORE_PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "securecom",
        "-keystore",
        keystore.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-file",
        certificate.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "securecom",
        "-file",
        certificate.toString(),
        "-keystore",
        truststore().toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        STORE_PASSWORD);
  }

  private static void keytool(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed:\n" + out);
    }
  }

  /** Copies the server's output to server.log, keeping the last lines for failure messages. */
  private void copyOutput(Process server, CountDownLatch ready) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        Writer log =
            Files.newBufferedWriter(
                work.resolve("server.log"),
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        log.write(line);
        log.write('\n');
        log.flush();
        synchronized (lastLines) {
          lastLines.addLast(line);
          if (lastLines.size() > 60) {
            lastLines.removeFirst();
          }
        }
        if (READY.matcher(line).find()) {
          ready.countDown();
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  /**
   * Waits for 200 from the readiness check; 404 means the application was not deployed, which will
   * not change.
   */
  private void awaitHealthy(long deadline) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest health =
        HttpRequest.newBuilder(uri.resolve("health/ready")).timeout(Duration.ofSeconds(5)).build();
    int last = -1;
    while (System.nanoTime() < deadline) {
      try {
        last = http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (last == 200) {
          return;
        }
        if (last == 404) {
          break;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "GET /health/ready did not answer 200 (last: " + last + "):\n" + tail());
  }

  /**
   * Starts the stopped server again on the port, database and key it had: what its clients see as a
   * restart ({@link #stop()} first; plain HTTP servers only).
   */
  void startAgain() throws Exception {
    launch(
        work.resolve("securecom.war"),
        requiredFile("payara.micro.jar", "../target/payara-micro.jar"),
        uri.getPort());
  }

  /** Stops the server: a normal shutdown first, then a forced one. Idempotent. */
  void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    process = null;
  }

  private String tail() {
    synchronized (lastLines) {
      return String.join("\n", lastLines) + "\n(whole log: " + work.resolve("server.log") + ")";
    }
  }

  /**
   * A copy of the WAR in the work directory, checked to be a whole zip file: the server reads the
   * WAR while it deploys, and a build running at the same time may be rewriting the original.
   */
  private Path snapshot(Path war) throws Exception {
    Path copy = work.resolve("securecom.war");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      Files.copy(war, copy, StandardCopyOption.REPLACE_EXISTING);
      try (ZipFile zip = new ZipFile(copy.toFile())) {
        for (var entries = zip.entries(); entries.hasMoreElements(); ) {
          try (InputStream in = zip.getInputStream(entries.nextElement())) {
            in.transferTo(OutputStream.nullOutputStream());
          }
        }
        return copy;
      } catch (IOException incomplete) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(war + " is not a readable WAR", incomplete);
        }
        Thread.sleep(2000); // being written
      }
    }
  }

  private static Path requiredFile(String property, String fallback) {
    Path file = Path.of(System.getProperty(property, fallback)).toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          file
              + " does not exist (system property "
              + property
              + "); build the server"
              + " first: (cd .. && mvn package -DskipTests)");
    }
    return file;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
