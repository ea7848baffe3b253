package com.securecom.client.it;

import com.securecom.testkit.CliProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code securecom} command line run as a user or a script runs it: {@code java -jar
 * target/securecom.jar}, one process per command (the test kit's {@link CliProcess}), with the
 * passphrase and password in the environment ({@code SECURECOM_PASSPHRASE}, {@code
 * SECURECOM_PASSWORD}) and profiles under a home directory of the test's own.
 */
final class Cli {
  static final String PASSWORD = "account password, 10+ chars";

  private final URI server;
  private final Path home;
  private final CliProcess process;

  Cli(URI server, Path home, Path outputs) throws IOException {
    this(server, home, outputs, List.of());
  }

  /** The same, with {@code jvmOptions} before {@code -jar} (a truststore, a hosts file). */
  Cli(URI server, Path home, Path outputs, List<String> jvmOptions) throws IOException {
    this.server = server;
    this.home = home;
    List<String> options = new ArrayList<>();
    options.add("-Dsecurecom.debug=true"); // a stack trace on stderr if something unexpected fails
    options.addAll(jvmOptions);
    this.process =
        CliProcess.javaJar(
            Path.of(System.getProperty("securecom.client.jar", "target/securecom.jar"))
                .toAbsolutePath(),
            options,
            outputs);
  }

  /** Runs {@code securecom --user <user> <args>} with nothing on standard input. */
  CliProcess.Result run(String user, String... args) throws Exception {
    return runWithInput(user, "", args);
  }

  /** Runs {@code securecom --user <user> <args>} with {@code input} on standard input. */
  CliProcess.Result runWithInput(String user, String input, String... args) throws Exception {
    return process.run(
        user + "-" + (args.length > 0 ? args[0] : ""), arguments(user, args), secrets(user), input);
  }

  /**
   * The full command line of {@code securecom --user <user> <args>} against this test's server and
   * home.
   */
  List<String> commandLine(String user, String... args) {
    return process.commandLine(arguments(user, args));
  }

  private List<String> arguments(String user, String... args) {
    List<String> arguments =
        new ArrayList<>(
            List.of("--server", server.toString(), "--home", home.toString(), "--user", user));
    arguments.addAll(List.of(args));
    return arguments;
  }

  /** The secrets a script gives the command of {@code user}. */
  static Map<String, String> secrets(String user) {
    Map<String, String> secrets = new HashMap<>();
    secrets.put("SECURECOM_PASSPHRASE", "profile passphrase of " + user);
    secrets.put("SECURECOM_PASSWORD", PASSWORD);
    return secrets;
  }

  /**
   * The environment a script gives the command: its secrets, and no SECURECOM_* settings of this
   * machine's.
   */
  static void setEnvironment(Map<String, String> environment, String user) {
    CliProcess.cleanEnvironment(environment);
    environment.putAll(secrets(user));
  }
}
