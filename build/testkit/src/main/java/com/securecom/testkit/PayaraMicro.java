package com.securecom.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real SecureCom server: Payara Micro as a child process that is the JVM itself ({@code java -jar
 * payara-micro.jar}, no wrapper script, so {@link #kill()} is a real SIGKILL of the server),
 * running a checked copy of the WAR the build made, in a work directory of the test's. Built with
 * {@link #in(Path)}; started with {@link #start()}, which waits until Payara says it is ready and
 * {@code GET /health/ready} answers 200.
 *
 * <p>It can be {@linkplain #stop() stopped} or {@linkplain #kill() killed} and {@linkplain #start()
 * started again} on the same port, database and key, as after a restart or a crash; each start gets
 * a fresh Payara runtime directory ({@code payara-<n>}), since a killed server leaves its own in
 * whatever state it was. Its output goes to {@code server.log} in the work directory, each start
 * marked; {@link #tail()} keeps the last lines for failure messages. As a {@linkplain
 * Builder#clusterMember cluster member} it also follows the size of the data grid that Payara logs
 * on every membership change ("DG Size: n"), so nothing in the product has to expose cluster state.
 *
 * <p>The WAR and Payara Micro come from the system properties {@code securecom.war} and {@code
 * payara.micro.jar}, else from {@code target/} of the repository's top, seen from the working
 * directory (the top itself or a module one level below).
 */
public final class PayaraMicro implements AutoCloseable {
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final int FIRST_START_ATTEMPTS = 2;

  private final Builder options;
  private final Path work;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final ServerOutput output;
  private Path war;
  private int port;
  private int httpsPort;
  private int starts;
  private Process process;
  private Thread shutdownHook;

  private PayaraMicro(Builder options) {
    this.options = options;
    this.work = options.work;
    this.port = options.httpPort;
    this.output = new ServerOutput(work.resolve("server.log"));
  }

  /** A server whose files (WAR copy, runtimes, log) go to {@code work}; configure, then start. */
  public static Builder in(Path work) {
    return new Builder(work);
  }

  /**
   * Starts the server and waits until it is ready. The first start picks a free port (unless one
   * was given) and tries once more on another if Payara fails; every later start uses the same
   * port, so clients reconnect to the same address.
   */
  public void start() throws Exception {
    boolean pickPorts = port == 0;
    for (int attempt = 1; ; attempt++) {
      if (pickPorts) {
        List<Integer> free = Ports.free(options.tls == null ? 1 : 2);
        port = free.get(0);
        httpsPort = options.tls == null ? 0 : free.get(1);
      }
      try {
        launch();
        awaitReady();
        return;
      } catch (IllegalStateException failed) {
        stop();
        if (!pickPorts || attempt == FIRST_START_ATTEMPTS) {
          throw failed;
        }
      }
    }
  }

  /**
   * Starts the process and returns at once (see {@link #awaitReady()}): for nodes that must start
   * together. The HTTP port must have been given.
   */
  public void launch() throws Exception {
    if (process != null) {
      throw new IllegalStateException("already running");
    }
    if (port == 0) {
      throw new IllegalStateException("launch() needs the HTTP port given; start() picks one");
    }
    Files.createDirectories(work);
    if (war == null) {
      war = Wars.snapshot(Wars.required("securecom.war", "securecom.war"), work);
    }
    Path payara = Wars.required("payara.micro.jar", "payara-micro.jar");
    starts++;
    List<String> command = command(payara);
    output.mark("===== start " + starts + " on port " + port + " =====");
    Process started =
        new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
    process = started;
    shutdownHook = new Thread(started::destroyForcibly); // if the test JVM ends first
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    output.follow(started, options.name + "-output");
  }

  private List<String> command(Path payara) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                // C1 only: Payara Micro starts in about 60% of the time. These tests check
                // behaviour, not speed.
                "-XX:TieredStopAtLevel=1"));
    if (options.cluster != null) {
      command.add("-Dhazelcast.socket.bind.any=false"); // the grid listens on --interfaces only
    }
    if (options.tls != null) {
      command.addAll(options.tls.serverProperties());
    }
    options.properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.addAll(options.jvmOptions);
    command.addAll(
        List.of(
            "-jar",
            payara.toString(),
            "--deploy",
            war.toString(),
            "--contextroot",
            "/",
            "--port",
            Integer.toString(port)));
    if (options.cluster != null) {
      command.addAll(options.cluster.arguments(options.name));
    } else {
      command.add("--nocluster");
      if (!options.hazelcast) {
        command.add("--nohazelcast");
      }
    }
    command.addAll(
        List.of("--disablephonehome", "--rootdir", work.resolve("payara-" + starts).toString()));
    if (options.tls != null) {
      command.addAll(
          List.of("--sslport", Integer.toString(httpsPort), "--sslcert", SelfSignedTls.ALIAS));
    }
    command.addAll(options.payaraOptions);
    return command;
  }

  /**
   * Waits for Payara's "ready" line, then for {@code GET /health/ready} to answer 200 (404 means
   * the application was not deployed, which will not change), within the start timeout.
   */
  public void awaitReady() throws InterruptedException {
    Duration timeout = options.startTimeout;
    long deadline = System.nanoTime() + timeout.toNanos();
    output.awaitReady(
        deadline,
        () -> options.name + " exited before it was ready" + exitStatus(),
        () -> options.name + " was not ready within " + timeout);
    HttpRequest health =
        HttpRequest.newBuilder(uri().resolve("health/ready"))
            .timeout(Duration.ofSeconds(10))
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
        options.name + ": GET /health/ready did not answer 200 (last: " + last + "):\n" + tail());
  }

  private String exitStatus() {
    Process p = process;
    return p != null && !p.isAlive() ? " (exit status " + p.exitValue() + ")" : "";
  }

  /**
   * Waits until this member reports a data grid of {@code members} members; returns when it said so
   * (epoch millis).
   */
  public long awaitGridSize(int members, Duration timeout) throws InterruptedException {
    return output.awaitGridSize(options.name, members, timeout);
  }

  /** The server's base URL, e.g. {@code http://127.0.0.1:41234/} (the same across restarts). */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  /** The HTTPS base URL, {@code https://localhost:<port>/} (with {@link Builder#tls} only). */
  public URI httpsUri() {
    return URI.create("https://localhost:" + httpsPort + "/");
  }

  public int port() {
    return port;
  }

  public int httpsPort() {
    return httpsPort;
  }

  /** The data grid's member port (cluster members only). */
  public int gridPort() {
    return options.cluster == null ? 0 : options.cluster.gridPort();
  }

  public String name() {
    return options.name;
  }

  /** This server's directory. */
  public Path workDirectory() {
    return work;
  }

  /** The running server JVM's process id. */
  public long pid() {
    return running().pid();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /**
   * Kills the server JVM with SIGKILL (no shutdown hooks, nothing flushed, no goodbye to the grid,
   * sockets reset by the kernel) and waits until it is gone.
   *
   * @return its exit status: 137 (128 + SIGKILL) when the signal killed it
   */
  public int kill() throws InterruptedException {
    Process jvm = running();
    jvm.descendants().forEach(ProcessHandle::destroyForcibly); // none expected
    jvm.destroyForcibly(); // SIGKILL on Linux
    if (!jvm.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(options.name + " (pid " + jvm.pid() + ") survived SIGKILL");
    }
    forget();
    return jvm.exitValue();
  }

  /** Stops the server: a normal shutdown first, then a forced one. Idempotent. */
  public void stop() throws InterruptedException {
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
      throw new IllegalStateException(options.name + " is not running");
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
   * Stops the server and deletes Payara's unpacked runtimes (100+ MB each) and the WAR copy; the
   * log, key and database files stay.
   */
  @Override
  public void close() throws Exception {
    stop();
    try {
      for (int i = 1; i <= starts; i++) {
        WorkDirectories.deleteTree(work.resolve("payara-" + i));
      }
      Files.deleteIfExists(work.resolve("securecom.war"));
    } catch (IOException | UncheckedIOException leftOver) {
      // target/ is cleaned anyway
    }
  }

  /** The whole log, {@code server.log} in the work directory. */
  public Path log() {
    return output.log();
  }

  /** The log so far. */
  public String logText() throws IOException {
    return Files.readString(log(), StandardCharsets.UTF_8);
  }

  /** The last lines the server printed, and where the whole log is. */
  public String tail() {
    return output.tail();
  }

  /**
   * A gauge or counter of the server's {@code /metrics} (Prometheus text), e.g. {@code
   * securecom_messages_queued}; empty if it could not be read.
   */
  public OptionalDouble metric(String name) {
    Pattern line = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? ([0-9.eE+-]+)$");
    HttpRequest request =
        HttpRequest.newBuilder(uri().resolve("metrics")).timeout(Duration.ofSeconds(10)).build();
    for (int attempt = 1; attempt <= 2; attempt++) {
      // Payara may answer one HTML 500 after a WebSocket close
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        Matcher m = line.matcher(response.body());
        if (response.statusCode() == 200 && m.find()) {
          return OptionalDouble.of(Double.parseDouble(m.group(1)));
        }
      } catch (IOException e) {
        // try once more
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return OptionalDouble.empty();
  }

  /**
   * The server's used heap in bytes right after a full collection ({@code jcmd GC.run}, then {@code
   * GC.heap_info}).
   */
  public long heapUsedAfterFullGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
    if (!used.find()) {
      throw new IllegalStateException("no heap figure from jcmd");
    }
    return Long.parseLong(used.group(1)) * 1024;
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()),
                command)
            .redirectErrorStream(true)
            .start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  @Override
  public String toString() {
    Process p = process;
    return options.name + " (pid " + (p == null ? "-" : p.pid()) + ", " + uri() + ")";
  }

  /** What a server is started with; {@link #build()} or {@link #start()} when done. */
  public static final class Builder {
    private final Path work;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> payaraOptions = new ArrayList<>();
    private String name = "payara";
    private int httpPort;
    private boolean hazelcast;
    private ClusterMember cluster;
    private SelfSignedTls tls;
    private Duration startTimeout = Duration.ofMinutes(4);

    private Builder(Path work) {
      this.work = work.toAbsolutePath();
    }

    /** A system property of the server ({@code -Dkey=value}). */
    public Builder property(String key, String value) {
      properties.put(key, value);
      return this;
    }

    public Builder properties(Map<String, String> more) {
      properties.putAll(more);
      return this;
    }

    /** Where the server keeps its data ({@code securecom.db.*}), across restarts. */
    public Builder database(TestDatabase database) {
      return properties(database.serverProperties());
    }

    /** The server's Ed25519 key file ({@code securecom.server-key.file}), kept across restarts. */
    public Builder serverKey(Path file) {
      return property("securecom.server-key.file", file.toAbsolutePath().toString());
    }

    /**
     * Rate limits no test reaches by accident: many sign-ups, device links, failed logins and
     * channel connections from 127.0.0.1, and a large frame budget per connection.
     */
    public Builder generousLimits() {
      return property("securecom.register.per-address", "100000")
          .property("securecom.devices.registrations-per-address-per-hour", "100000")
          .property("securecom.login.failures-per-address", "100000")
          .property("securecom.channel.auth.per-address", "100000")
          .property("securecom.channel.rate.per-second", "5000")
          .property("securecom.channel.rate.burst", "5000");
    }

    /** More options for the server's JVM, before {@code -jar}. */
    public Builder jvmOptions(List<String> options) {
      jvmOptions.addAll(options);
      return this;
    }

    /** More Payara Micro options, after the kit's own (e.g. {@code --logproperties FILE}). */
    public Builder payaraOptions(List<String> options) {
      payaraOptions.addAll(options);
      return this;
    }

    /** A name for messages, and a cluster member's {@code --name}. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The HTTP port; by default a free one is picked at the first start. */
    public Builder httpPort(int port) {
      this.httpPort = port;
      return this;
    }

    /**
     * Keep Payara's data grid on a stand-alone server ({@code --nocluster} alone, as {@code mvn
     * payara-micro:start} runs it); by default it also gets {@code --nohazelcast}.
     */
    public Builder withHazelcast() {
      this.hazelcast = true;
      return this;
    }

    /**
     * A member of cluster {@code clusterName}: its data grid listens on 127.0.0.1:{@code gridPort}
     * and finds the other members by TCP on loopback at {@code memberGridPorts} (all members'
     * ports).
     */
    public Builder clusterMember(String clusterName, int gridPort, List<Integer> memberGridPorts) {
      this.cluster = new ClusterMember(clusterName, gridPort, List.copyOf(memberGridPorts));
      return this;
    }

    /** Also serve HTTPS with this keystore ({@code --sslport}, on a free port). */
    public Builder tls(SelfSignedTls tls) {
      this.tls = tls;
      return this;
    }

    /** How long a start may take until ready (default 4 minutes). */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    /** The server, not started. */
    public PayaraMicro build() {
      return new PayaraMicro(this);
    }

    /** The server, started and ready; closed again if it does not get ready. */
    public PayaraMicro start() throws Exception {
      PayaraMicro server = build();
      try {
        server.start();
      } catch (Exception | Error e) {
        server.close();
        throw e;
      }
      return server;
    }
  }

  /** Payara's cluster options for one member. */
  private record ClusterMember(String clusterName, int gridPort, List<Integer> memberGridPorts) {
    List<String> arguments(String name) {
      return List.of(
          "--name",
          name,
          "--clustername",
          clusterName,
          "--clustermode",
          "tcpip:" + String.join(",", memberGridPorts.stream().map(p -> "127.0.0.1:" + p).toList()),
          "--interfaces",
          "127.0.0.1",
          "--startport",
          Integer.toString(gridPort),
          // Every member shares 127.0.0.1; without this Hazelcast would keep no backups at all
          // (all members on one host), unlike a real deployment with one node per host.
          "--nohostaware");
    }
  }
}
