package com.securecom.it.cluster;

import com.securecom.it.support.Api;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One clustered Payara Micro node running the built WAR, as a child process that is the JVM itself
 * (so that {@link #kill()} is a real SIGKILL of the server). Its output goes to {@code server.log}
 * in its directory; the fixture reads it for readiness ("Payara Micro ... ready", then {@code GET
 * /health/ready} 200) and for the size of the data grid as Payara reports it on every membership
 * change ("DG Size: n"), so nothing in the product has to expose cluster state for the test.
 */
final class PayaraNode implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("Payara Micro .* ready");
  private static final Pattern GRID_SIZE = Pattern.compile("DG Size: (\\d+)");
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  /** Ports a node listens on: HTTP, and the data grid's member port. */
  record Ports(int http, int grid) {}

  final String name;
  private final Path directory;
  private final Process process;
  private final Thread shutdownHook;
  private final URI uri;
  private final Deque<String> lastLines = new ArrayDeque<>();
  private final Object state = new Object();
  private boolean ready;
  private boolean ended;
  private int gridSize;
  private long gridSizeChangedAt;

  private PayaraNode(String name, Path directory, Process process, int httpPort) {
    this.name = name;
    this.directory = directory;
    this.process = process;
    this.uri = URI.create("http://127.0.0.1:" + httpPort + "/");
    this.shutdownHook = new Thread(process::destroyForcibly); // if the test JVM ends first
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    Thread pump = new Thread(this::copyOutput, name + "-output");
    pump.setDaemon(true);
    pump.start();
  }

  /**
   * Starts a node (returns at once; see {@link #awaitReady}). {@code gridMembers} are all the
   * nodes' ports, so that the nodes find each other by TCP on loopback; {@code clusterName} keeps
   * any other Payara on this machine out.
   */
  static PayaraNode launch(
      String name,
      Path directory,
      Path war,
      Path payaraJar,
      Ports ports,
      List<Ports> gridMembers,
      String clusterName,
      Map<String, String> systemProperties)
      throws IOException {
    Files.createDirectories(directory);
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:TieredStopAtLevel=1", // start-up time, on two cores shared by two servers and
                // the tests
                "-Dhazelcast.socket.bind.any=false")); // the grid listens on --interfaces only
    // (README, cluster)
    systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.addAll(
        List.of(
            "-jar",
            payaraJar.toString(),
            "--deploy",
            war.toString(),
            "--contextroot",
            "/",
            "--port",
            Integer.toString(ports.http()),
            "--name",
            name,
            "--clustername",
            clusterName,
            "--clustermode",
            "tcpip:"
                + String.join(",", gridMembers.stream().map(p -> "127.0.0.1:" + p.grid()).toList()),
            "--interfaces",
            "127.0.0.1",
            "--startport",
            Integer.toString(ports.grid()),
            // Every node of this test shares 127.0.0.1; without this Hazelcast would keep no
            // backups at all (all members
            // on one host), unlike a real deployment with one node per host.
            "--nohostaware",
            "--disablephonehome",
            "--rootdir",
            directory.resolve("payara").toString()));
    Process process =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    return new PayaraNode(name, directory, process, ports.http());
  }

  /** Free loopback ports, all different. */
  static List<Integer> freePorts(int count) throws IOException {
    Set<Integer> ports = new HashSet<>();
    List<ServerSocket> held = new ArrayList<>();
    try {
      while (ports.size() < count) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(socket);
        ports.add(socket.getLocalPort());
      }
    } finally {
      for (ServerSocket socket : held) {
        socket.close();
      }
    }
    return List.copyOf(ports);
  }

  URI uri() {
    return uri;
  }

  Api api() {
    try {
      return new Api(uri.toURL());
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return directory.resolve("server.log");
  }

  /** Waits for Payara's "ready" line, then for {@code GET /health/ready} to answer 200. */
  void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (state) {
      while (!ready) {
        if (ended || !process.isAlive()) {
          throw new IllegalStateException(name + " exited before it was ready:\n" + tail());
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(
              name + " was not ready within " + timeout + ":\n" + tail());
        }
        state.wait(Math.min(250, Math.max(1, left / 1_000_000)));
      }
    }
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    HttpRequest health =
        HttpRequest.newBuilder(uri.resolve("health/ready")).timeout(Duration.ofSeconds(10)).build();
    int last = -1;
    while (System.nanoTime() < deadline) {
      try {
        last = http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (last == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        name + ": GET /health/ready did not answer 200 (last: " + last + "):\n" + tail());
  }

  /**
   * Waits until this node reports a data grid of {@code members} members; returns when it said so
   * (millis).
   */
  long awaitGridSize(int members, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (state) {
      while (gridSize != members) {
        if (ended) {
          throw new IllegalStateException(
              name + " exited while waiting for " + members + " members:\n" + tail());
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(
              name
                  + " did not see "
                  + members
                  + " grid members within "
                  + timeout
                  + " (last reported: "
                  + gridSize
                  + "):\n"
                  + tail());
        }
        state.wait(Math.min(250, Math.max(1, left / 1_000_000)));
      }
      return gridSizeChangedAt;
    }
  }

  /**
   * SIGKILL: no shutdown hook, no goodbye to the grid, sockets reset by the kernel. Returns once it
   * is gone.
   */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(name + " (pid " + process.pid() + ") survived SIGKILL");
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Stops the node (a normal shutdown, then a forced one) and deletes its unpacked runtime; keeps
   * the log.
   */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    try {
      deleteTree(directory.resolve("payara")); // 100+ MB, of no use afterwards
    } catch (IOException | UncheckedIOException leftOver) {
      // target/ is cleaned anyway
    }
  }

  /** The last lines of the node's output, for failure messages. */
  String tail() {
    synchronized (lastLines) {
      return String.join("\n", lastLines) + "\n(whole log: " + log() + ")";
    }
  }

  private void copyOutput() {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer out = Files.newBufferedWriter(log(), StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        out.write(line);
        out.write('\n');
        out.flush();
        synchronized (lastLines) {
          lastLines.addLast(line);
          if (lastLines.size() > 40) {
            lastLines.removeFirst();
          }
        }
        Matcher size = GRID_SIZE.matcher(line);
        boolean isReady = READY.matcher(line).find();
        if (size.find() || isReady) {
          synchronized (state) {
            if (isReady) {
              ready = true;
            } else {
              gridSize = Integer.parseInt(size.group(1));
              gridSizeChangedAt = System.currentTimeMillis();
            }
            state.notifyAll();
          }
        }
      }
    } catch (IOException e) {
      // the process ended
    } finally {
      synchronized (state) {
        ended = true;
        state.notifyAll();
      }
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

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", " + uri + ")";
  }
}
