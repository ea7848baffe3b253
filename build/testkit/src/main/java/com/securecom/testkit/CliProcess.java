package com.securecom.testkit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
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
 * The {@code securecom} command line run as a user or a script runs it: one process per command
 * ({@code java -jar securecom.jar ...}, or the launcher script), secrets in the environment and
 * none of this machine's {@code SECURECOM_*} settings, standard output and error kept in files of
 * the test's, and a time limit.
 */
public final class CliProcess {
  /** How long one command may take. */
  public static final Duration TIMEOUT = Duration.ofSeconds(120);

  private static final AtomicInteger runs = new AtomicInteger();
  private final List<String> launcher;
  private final Path outputs;

  private CliProcess(List<String> launcher, Path outputs) throws IOException {
    this.launcher = List.copyOf(launcher);
    this.outputs = Files.createDirectories(outputs);
  }

  /**
   * {@code java <jvmOptions> -jar <jar>}, with this JVM's {@code java}; outputs go to {@code
   * outputs}.
   */
  public static CliProcess javaJar(Path jar, List<String> jvmOptions, Path outputs)
      throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " does not exist: the client's package phase builds it (mvn verify)");
    }
    List<String> launcher = new ArrayList<>();
    launcher.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    launcher.addAll(jvmOptions);
    launcher.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    return new CliProcess(launcher, outputs);
  }

  /** Any other launcher, e.g. {@code sh standalone-client/securecom}. */
  public static CliProcess launcher(List<String> launcher, Path outputs) throws IOException {
    return new CliProcess(launcher, outputs);
  }

  /** The full command line: the launcher, then {@code args}. */
  public List<String> commandLine(List<String> args) {
    List<String> command = new ArrayList<>(launcher);
    command.addAll(args);
    return command;
  }

  /**
   * Runs the command with {@code args}, {@code environment} added to a clean one (see {@link
   * #cleanEnvironment}), {@code input} on standard input (then closed); {@code label} names its
   * output files.
   */
  public Result run(String label, List<String> args, Map<String, String> environment, String input)
      throws IOException, InterruptedException {
    List<String> command = commandLine(args);
    String name = runs.incrementAndGet() + "-" + label.replaceAll("[^A-Za-z0-9._-]", "_");
    Path out = outputs.resolve(name + ".out");
    Path err = outputs.resolve(name + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    cleanEnvironment(builder.environment());
    builder.environment().putAll(environment);
    Process process = builder.start();
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(input.getBytes(StandardCharsets.UTF_8));
    }
    if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT);
    }
    return new Result(
        command,
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Removes this machine's {@code SECURECOM_*} settings from a process's environment. */
  public static void cleanEnvironment(Map<String, String> environment) {
    environment.keySet().removeIf(name -> name.startsWith("SECURECOM_"));
  }

  /** What a command printed and its exit code. */
  public record Result(List<String> command, int exitCode, String out, String err) {
    /** This result, if the command exited with 0. */
    public Result orThrow() {
      if (exitCode != 0) {
        throw new AssertionError(toString());
      }
      return this;
    }

    /** The lines of standard output that are JSON objects ({@code --json}). */
    public List<JsonObject> json() {
      List<JsonObject> objects = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (line.startsWith("{")) {
          try (JsonReader reader = Json.createReader(new StringReader(line))) {
            objects.add(reader.readObject());
          }
        }
      }
      return objects;
    }

    /** The JSON lines of standard output whose {@code type} is {@code type}. */
    public List<JsonObject> json(String type) {
      return json().stream().filter(json -> type.equals(json.getString("type", null))).toList();
    }

    @Override
    public String toString() {
      int jar = command.indexOf("-jar");
      List<String> shown = jar >= 0 ? command.subList(jar + 2, command.size()) : command;
      return "securecom "
          + String.join(" ", shown)
          + " -> exit "
          + exitCode
          + "\n--- stdout:\n"
          + out
          + "--- stderr:\n"
          + err;
    }
  }
}
