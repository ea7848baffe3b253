package com.securecom.browser.support;

import com.securecom.testkit.CliProcess;
import com.securecom.testkit.CliProcess.Result;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
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
 * JSON lines out; the test kit's {@link CliProcess} runs it. The root build makes that jar before
 * these tests run; if it is missing (e.g. {@code -DskipClient=true} on a clean tree), {@link
 * #jar()} builds it first with {@code mvn -pl standalone-client -am package -DskipTests}.
 */
public final class CliClient {
  private static final Path JAR = Paths.get("standalone-client", "target", "securecom.jar");

  private final Path home;
  private final String server;
  public final String username;
  private final String password;
  private final CliProcess cli;

  public CliClient(URL server, String username, String password) {
    this(server, username, password, List.of());
  }

  /** The same, with {@code jvmOptions} for the client's JVM (e.g. a truststore). */
  public CliClient(URL server, String username, String password, List<String> jvmOptions) {
    try {
      this.home = Files.createTempDirectory("securecom-cli-");
      this.cli = CliProcess.javaJar(jar(), jvmOptions, home.resolve("outputs"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.server = server.toString();
    this.username = username;
    this.password = password;
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
        new ArrayList<>(List.of("--server", server, "--home", home.toString(), "-u", username));
    command.addAll(List.of(args));
    try {
      return cli.run(
          username + "-" + (args.length > 0 ? args[0] : ""),
          command,
          Map.of(
              "SECURECOM_PASSWORD",
              password,
              "SECURECOM_PASSPHRASE",
              "cli passphrase for " + username),
          "");
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
}
