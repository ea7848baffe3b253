package com.securecom.loadgen.it;

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
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * A real SecureCom server: Payara Micro as a child process (the JVM itself, started from {@code
 * java}, no wrapper script) running a copy of the WAR the root build made, with the database and
 * server key file it is given. It can be {@linkplain #kill() killed with SIGKILL} and {@linkplain
 * #start() started again} on the same port, database and key, as after a crash. Its output goes to
 * {@code server.log} in the work directory, each start marked.
 *
 * <p>The WAR and Payara Micro come from the system properties {@code securecom.war} and {@code
 * payara.micro.jar} (defaults {@code ../target/securecom.war} and {@code
 * ../target/payara-micro.jar}).
 */
final class PayaraMicroServer implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern READY = Pattern.compile("Payara Micro .* ready");
  private static final Pattern QUEUED =
      Pattern.compile("(?m)^securecom_messages_queued(?:\\{[^}]*})? ([0-9.eE+-]+)$");
  private static final int FIRST_START_ATTEMPTS = 2;

  private final Path work;
  private final ServerDatabase database;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final Deque<String> lastLines = new ArrayDeque<>();
  private Path war;
  private int port;
  private int starts;
  private Process process;
  private final List<String> extraProperties = new ArrayList<>();
  private Thread shutdownHook;

  /**
   * @param work this server's directory: WAR copy, server key, Payara's runtime, log (and an H2
   *     database's files)
   * @param database where the server keeps its data, across restarts
   */
  /** Adds JVM options ({@code -Dname=value}) to every start from now on. */
  PayaraMicroServer withJvmOptions(String... options) {
    extraProperties.addAll(List.of(options));
    return this;
  }

  PayaraMicroServer(Path work, ServerDatabase database) {
    this.work = work;
    this.database = database;
  }

  /**
   * A scratch directory for one test class under {@code securecom.it.work} (default {@code
   * target/it}).
   */
  static Path workDirectory(Class<?> testClass) throws IOException {
    Path base = Path.of(System.getProperty("securecom.it.work", "target/it")).toAbsolutePath();
    Files.createDirectories(base);
    return Files.createTempDirectory(base, testClass.getSimpleName() + "-");
  }

  /**
   * Starts the server and waits until it is ready ({@code GET /health/ready} answers 200). The
   * first start picks a free port; every later one uses the same port, so clients reconnect to the
   * same address.
   */
  void start() throws Exception {
    if (process != null) {
      throw new IllegalStateException("already running");
    }
    if (war == null) {
      war = snapshot(requiredFile("securecom.war", "../target/securecom.war"));
    }
    Path payara = requiredFile("payara.micro.jar", "../target/payara-micro.jar");
    boolean first = port == 0;
    for (int attempt = 1; ; attempt++) {
      if (first) {
        port = freePort();
      }
      try {
        launch(payara);
        return;
      } catch (IllegalStateException failed) {
        stop();
        if (!first || attempt == FIRST_START_ATTEMPTS) {
          throw failed;
        }
      }
    }
  }

  private void launch(Path payara) throws Exception {
    starts++;
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                // C1 only: Payara Micro starts in about 60% of the time. These tests check
                // behaviour, not speed.
                "-XX:TieredStopAtLevel=1",
                "-Dsecurecom.server-key.file=" + work.resolve("server.key"),
                "-Dsecurecom.register.per-address=100000",
                "-Dsecurecom.login.failures-per-address=100000",
                "-Dsecurecom.channel.rate.per-second=5000",
                "-Dsecurecom.channel.rate.burst=5000"));
    command.addAll(database.serverProperties());
    command.addAll(extraProperties);
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
            // A fresh runtime directory per start: a killed server leaves its own in whatever state
            // it was.
            "--rootdir",
            work.resolve("payara-" + starts).toString()));
    try (Writer log = log()) {
      log.write("===== start " + starts + " on port " + port + " =====\n");
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
      if (!started.isAlive()) {
        throw new IllegalStateException(
            "Payara Micro exited with " + started.exitValue() + " before it was ready:\n" + tail());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Payara Micro was not ready within " + START_TIMEOUT + ":\n" + tail());
      }
    }
    awaitHealthy(deadline);
  }

  private Writer log() throws IOException {
    return Files.newBufferedWriter(
        work.resolve("server.log"),
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** Copies the server's output to server.log, keeping the last lines for failure messages. */
  private void copyOutput(Process server, CountDownLatch ready) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        Writer log = log()) {
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
    HttpRequest health =
        HttpRequest.newBuilder(uri().resolve("health/ready"))
            .timeout(Duration.ofSeconds(5))
            .build();
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

  /** The server's base URL, e.g. {@code http://127.0.0.1:41234/} (the same across restarts). */
  URI uri() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  /** The running server JVM's process id. */
  long pid() {
    return running().pid();
  }

  /**
   * Kills the server JVM with SIGKILL (no shutdown hooks, nothing flushed) and waits until it is
   * gone.
   *
   * @return its exit status: 137 (128 + SIGKILL) when the signal killed it
   */
  int kill() throws InterruptedException {
    Process jvm = running();
    jvm.descendants()
        .forEach(ProcessHandle::destroyForcibly); // none expected: Payara Micro runs in this JVM
    jvm.destroyForcibly(); // SIGKILL on Linux
    if (!jvm.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the server JVM " + jvm.pid() + " survived SIGKILL");
    }
    forget();
    return jvm.exitValue();
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
    forget();
  }

  private Process running() {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException("the server is not running");
    }
    return process;
  }

  private void forget() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    process = null;
  }

  /**
   * The server's {@code securecom_messages_queued} gauge: messages stored and not yet acknowledged
   * by their recipient. Empty if the metrics could not be read.
   */
  OptionalLong queuedMessages() {
    HttpRequest request =
        HttpRequest.newBuilder(uri().resolve("metrics")).timeout(Duration.ofSeconds(10)).build();
    for (int attempt = 1;
        attempt <= 2;
        attempt++) { // Payara may answer one HTML 500 after a WebSocket close
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        Matcher m = QUEUED.matcher(response.body());
        if (response.statusCode() == 200 && m.find()) {
          return OptionalLong.of((long) Double.parseDouble(m.group(1)));
        }
      } catch (IOException e) {
        // try once more
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return OptionalLong.empty();
  }

  /** The last lines the server printed, and where the whole log is. */
  String tail() {
    synchronized (lastLines) {
      return String.join("\n", lastLines) + "\n(whole log: " + work.resolve("server.log") + ")";
    }
  }

  /**
   * Stops the server and deletes Payara's unpacked runtimes (100+ MB each); the log and key stay.
   */
  @Override
  public void close() throws Exception {
    stop();
    for (int i = 1; i <= starts; i++) {
      deleteTree(work.resolve("payara-" + i));
    }
    Files.deleteIfExists(work.resolve("securecom.war"));
  }

  /**
   * A copy of the WAR in the work directory, checked to be a whole zip file: the server reads the
   * WAR while it deploys, and a build running at the same time may be rewriting the original.
   */
  private Path snapshot(Path original) throws Exception {
    Path copy = work.resolve("securecom.war");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      Files.copy(original, copy, StandardCopyOption.REPLACE_EXISTING);
      try (ZipFile zip = new ZipFile(copy.toFile())) {
        for (var entries = zip.entries(); entries.hasMoreElements(); ) {
          try (InputStream in = zip.getInputStream(entries.nextElement())) {
            in.transferTo(OutputStream.nullOutputStream());
          }
        }
        return copy;
      } catch (IOException incomplete) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(original + " is not a readable WAR", incomplete);
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
              + " first: (cd .. && mvn package -DskipTests -DskipClient=true)");
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
