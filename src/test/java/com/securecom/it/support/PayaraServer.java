package com.securecom.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Payara Micro running the built WAR without clustering, with the configuration a test needs
 * (limits, timeouts, its own database), as a child process: for tests whose settings differ from
 * the shared Arquillian container's, and for measurements of the server's heap ({@link
 * #heapUsedAfterFullGc()} through {@code jcmd}).
 */
public final class PayaraServer implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("Payara Micro .* ready");
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  private final Process process;
  private final Path log;
  private final URI uri;
  private volatile boolean ready;

  private PayaraServer(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.uri = URI.create("http://127.0.0.1:" + port + "/");
    Thread pump = new Thread(this::copyOutput, "payara-output");
    pump.setDaemon(true);
    pump.start();
  }

  /**
   * Starts the WAR of {@code securecom.war} in {@code directory} with these system properties;
   * waits until ready.
   */
  public static PayaraServer start(Path directory, Map<String, String> properties)
      throws Exception {
    return start(directory, properties, List.of());
  }

  /** The same, with more Payara Micro options (e.g. {@code --logproperties FILE}). */
  public static PayaraServer start(
      Path directory, Map<String, String> properties, List<String> payaraOptions) throws Exception {
    Files.createDirectories(directory);
    Path war =
        Path.of(System.getProperty("securecom.war", "target/securecom.war")).toAbsolutePath();
    Path payara = Path.of("target", "payara-micro.jar").toAbsolutePath();
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:TieredStopAtLevel=1"));
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
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
            "--disablephonehome",
            "--rootdir",
            directory.resolve("payara").toString()));
    command.addAll(payaraOptions);
    Process process =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    PayaraServer server = new PayaraServer(process, directory.resolve("server.log"), port);
    try {
      server.awaitReady(Duration.ofMinutes(4));
    } catch (Exception | AssertionError e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("Payara did not start; see " + log);
      }
      Thread.sleep(200);
    }
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(uri.resolve("health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("not ready; see " + log);
  }

  public Api api() {
    try {
      return new Api(new URL(uri.toString()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
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
                Long.toString(process.pid()),
                command)
            .redirectErrorStream(true)
            .start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  /** The log so far. */
  public String logText() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  private void copyOutput() {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        out.write(line);
        out.write('\n');
        out.flush();
        if (READY.matcher(line).find()) {
          ready = true;
        }
      }
    } catch (IOException ended) {
      // the process ended
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
