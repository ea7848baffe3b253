package com.securecom.browser.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The standalone Java client as a separate process ({@code java -jar
 * standalone-client/target/securecom.jar}), the way a script uses it: secrets from the environment,
 * JSON lines out. The root build makes that jar in its integration-test phase (maven-invoker)
 * before these tests run; if it is missing (e.g. {@code -DskipClient=true} on a clean tree), {@link
 * #jar()} builds it first with {@code mvn -pl standalone-client -am package -DskipTests}.
 */
public final class CliClient {
  private static final Path JAR = Paths.get("standalone-client", "target", "securecom.jar");

  private final Path home;
  private final String server;
  public final String username;
  private final String password;

  public CliClient(URL server, String username, String password) {
    try {
      this.home = Files.createTempDirectory("securecom-cli-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.server = server.toString();
    this.username = username;
    this.password = password;
  }

  /** Exit code and output of one run. */
  public record Result(int exitCode, String out, String err) {
    public Result orThrow() {
      if (exitCode != 0) {
        throw new AssertionError(
            "securecom exited with " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err);
      }
      return this;
    }

    /** The stdout lines that are JSON objects. */
    public List<JsonObject> json() {
      List<JsonObject> lines = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (line.startsWith("{")) {
          lines.add(Json.createReader(new StringReader(line)).readObject());
        }
      }
      return lines;
    }
  }

  /** The client's jar, built now if it is not there. */
  public static synchronized Path jar() {
    if (Files.isRegularFile(JAR)) {
      return JAR;
    }
    System.err.println(
        JAR
            + " is missing: building the standalone client (mvn -pl standalone-client -am package)");
    for (boolean offline : new boolean[] {true, false}) {
      List<String> command =
          new ArrayList<>(
              List.of(
                  "mvn",
                  "-B",
                  "-q",
                  "-f",
                  "pom.xml",
                  "-pl",
                  "standalone-client",
                  "-am",
                  "package",
                  "-DskipTests"));
      if (offline) {
        command.add("-o");
      }
      try {
        Process build = new ProcessBuilder(command).inheritIO().start();
        if (build.waitFor(10, TimeUnit.MINUTES)
            && build.exitValue() == 0
            && Files.isRegularFile(JAR)) {
          return JAR;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot run mvn to build the standalone client", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("could not build " + JAR);
  }

  public Result run(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                javaBinary(),
                "-jar",
                jar().toString(),
                "--server",
                server,
                "--home",
                home.toString(),
                "-u",
                username));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.put("SECURECOM_PASSWORD", password);
    env.put("SECURECOM_PASSPHRASE", "cli passphrase for " + username);
    try {
      Path out = Files.createTempFile(home, "out", ".txt");
      Path err = Files.createTempFile(home, "err", ".txt");
      Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      process.getOutputStream().close();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            "securecom " + String.join(" ", args) + " did not finish in 120 s");
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public void register() {
    run("register", username).orThrow();
  }

  public void send(String peer, String text) {
    run("send", peer, text).orThrow();
  }

  /** Messages and receipts waiting for this user, as the JSON lines of {@code receive --json}. */
  public List<JsonObject> receive() {
    return run("receive", "--json").orThrow().json();
  }

  private static String javaBinary() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }
}
