package com.securecom.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx ({@value #BINARY}) with one site configuration of the test's, in a work directory
 * of its own: a minimal {@code nginx.conf} around the site puts the pid file, the error and access
 * logs and every temporary directory there, so nothing under {@code /etc}, {@code /var} or {@code
 * /run} is used. {@link #test()} runs {@code nginx -t}; {@link #start} runs it in the foreground as
 * one process ({@code daemon off; master_process off;}: no workers that would switch to another
 * user), and {@link #close()} stops it.
 */
public final class Nginx implements AutoCloseable {
  public static final String BINARY = "/usr/sbin/nginx";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Path work;
  private final Path config;
  private Process process;

  private Nginx(Path work, Path config) {
    this.work = work;
    this.config = config;
  }

  /** Whether nginx is installed ({@code apt-get install nginx-light}). */
  public static boolean installed() {
    return Files.isExecutable(Path.of(BINARY));
  }

  /** nginx serving {@code site} (the text of a file for {@code conf.d/}), files in {@code work}. */
  public static Nginx site(Path work, String site) throws IOException {
    Path dir = Files.createDirectories(work.toAbsolutePath());
    Path temp = Files.createDirectories(dir.resolve("temp"));
    Path siteFile = dir.resolve("site.conf");
    Files.writeString(siteFile, site);
    StringBuilder conf = new StringBuilder();
    conf.append("pid ").append(dir.resolve("nginx.pid")).append(";\n");
    conf.append("error_log ").append(dir.resolve("error.log")).append(" info;\n");
    conf.append("events {}\nhttp {\n");
    conf.append("  access_log ").append(dir.resolve("access.log")).append(";\n");
    for (String kind : List.of("client_body", "proxy", "fastcgi", "scgi", "uwsgi")) {
      conf.append("  ").append(kind).append("_temp_path ").append(temp.resolve(kind)).append(";\n");
    }
    conf.append("  include ").append(siteFile).append(";\n}\n");
    Path config = dir.resolve("nginx.conf");
    Files.writeString(config, conf);
    return new Nginx(dir, config);
  }

  /** What {@code nginx -t} said, and its exit code. */
  public record Result(int exitCode, String output) {}

  /** {@code nginx -t}: checks the configuration, and that the certificates can be read. */
  public Result test() throws IOException, InterruptedException {
    Process check =
        new ProcessBuilder(BINARY, "-t", "-c", config.toString(), "-p", work + "/")
            .redirectErrorStream(true)
            .start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!check.waitFor(60, TimeUnit.SECONDS)) {
      check.destroyForcibly();
      throw new IllegalStateException("nginx -t did not finish");
    }
    return new Result(check.exitValue(), output);
  }

  /** Starts nginx and waits until each of {@code ports} accepts connections on 127.0.0.1. */
  public Nginx start(int... ports) throws IOException, InterruptedException {
    if (process != null) {
      throw new IllegalStateException("already running");
    }
    Path output = work.resolve("nginx.out");
    process =
        new ProcessBuilder(
                BINARY,
                "-c",
                config.toString(),
                "-p",
                work + "/",
                "-g",
                "daemon off; master_process off;")
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    for (int port : ports) {
      while (!accepts(port)) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          String why = process.isAlive() ? "not listening on " + port : "exited";
          close();
          throw new IllegalStateException(
              "nginx " + why + ":\n" + Files.readString(output) + errorLog());
        }
        Thread.sleep(50);
      }
    }
    return this;
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  /** The error log so far ({@code info} level: it also has each connection's errors). */
  public String errorLog() throws IOException {
    Path log = work.resolve("error.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** The access log so far (nginx's {@code combined} format, a line per request). */
  public String accessLog() throws IOException {
    Path log = work.resolve("access.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** Stops nginx (SIGTERM: a fast shutdown) and waits for it. Idempotent. */
  @Override
  public void close() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    process = null;
  }
}
