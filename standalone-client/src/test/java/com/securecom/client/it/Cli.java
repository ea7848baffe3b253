package com.securecom.client.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code securecom} command line run as a user or a script runs it: {@code java -jar
 * target/securecom.jar}, one process per command, with the passphrase and password in the
 * environment ({@code SECURECOM_PASSPHRASE}, {@code SECURECOM_PASSWORD}) and profiles under a home
 * directory of the test's own.
 */
final class Cli {
  static final String PASSWORD = "account password, 10+ chars";
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final URI server;
  private final Path home;
  private final Path outputs;
  private final Path jar;
  private final List<String> jvmOptions;
  private static final AtomicInteger runs = new AtomicInteger();

  /** What a command printed and its exit code. */
  record Result(List<String> command, int exitCode, String out, String err) {
    /** The JSON lines of standard output ({@code --json}) whose {@code type} is {@code type}. */
    List<JsonObject> json(String type) {
      List<JsonObject> objects = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (line.startsWith("{")) {
          try (JsonReader reader = Json.createReader(new StringReader(line))) {
            JsonObject json = reader.readObject();
            if (json.getString("type").equals(type)) {
              objects.add(json);
            }
          }
        }
      }
      return objects;
    }

    @Override
    public String toString() {
      return String.join(" ", command.subList(command.indexOf("--user"), command.size()))
          + " -> exit "
          + exitCode
          + "\n--- stdout:\n"
          + out
          + "--- stderr:\n"
          + err;
    }
  }

  Cli(URI server, Path home, Path outputs) throws IOException {
    this(server, home, outputs, List.of());
  }

  /** The same, with {@code jvmOptions} before {@code -jar} (a truststore, a hosts file). */
  Cli(URI server, Path home, Path outputs, List<String> jvmOptions) throws IOException {
    this.jvmOptions = List.copyOf(jvmOptions);
    this.server = server;
    this.home = home;
    this.outputs = Files.createDirectories(outputs);
    this.jar =
        Path.of(System.getProperty("securecom.client.jar", "target/securecom.jar"))
            .toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " does not exist: the package phase builds it (mvn verify)");
    }
  }

  /** Runs {@code securecom --user <user> <args>} with nothing on standard input. */
  Result run(String user, String... args) throws Exception {
    return runWithInput(user, "", args);
  }

  /** Runs {@code securecom --user <user> <args>} with {@code input} on standard input. */
  Result runWithInput(String user, String input, String... args) throws Exception {
    List<String> command = commandLine(user, args);
    int run = runs.incrementAndGet();
    String name = run + "-" + user + "-" + (args.length > 0 ? args[0] : "");
    Path out = outputs.resolve(name + ".out");
    Path err = outputs.resolve(name + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    setEnvironment(builder.environment(), user);
    Process process = builder.start();
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(input.getBytes(StandardCharsets.UTF_8));
    }
    if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT);
    }
    return new Result(command, process.exitValue(), Files.readString(out), Files.readString(err));
  }

  /**
   * The full command line of {@code securecom --user <user> <args>} against this test's server and
   * home.
   */
  List<String> commandLine(String user, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dsecurecom.debug=true")); // a stack trace on stderr if something unexpected fails
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-jar", jar.toString(),
            "--server", server.toString(),
            "--home", home.toString(),
            "--user", user));
    command.addAll(List.of(args));
    return command;
  }

  /**
   * The environment a script gives the command: its secrets, and no SECURECOM_* settings of this
   * machine's.
   */
  static void setEnvironment(Map<String, String> environment, String user) {
    environment.keySet().removeIf(name -> name.startsWith("SECURECOM_"));
    environment.put("SECURECOM_PASSPHRASE", "profile passphrase of " + user);
    environment.put("SECURECOM_PASSWORD", PASSWORD);
  }
}
