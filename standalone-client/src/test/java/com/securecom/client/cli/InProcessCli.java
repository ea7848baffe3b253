package com.securecom.client.cli;

import com.securecom.client.keyring.Keyring;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code securecom} run in this JVM as the launcher runs it ({@link SecureCom#commandLine}), with profiles under a
 * home of the test's own, secrets from an environment of the test's own, a keyring of its choosing (none unless
 * given), and standard input that fails the test if a command reads a secret from it.
 */
final class InProcessCli {
  /** What a command printed and its exit code. */
  record Result(int exitCode, String out, String err) {}

  /** Standard input that fails the test if a prompt reads it. */
  static final InputStream NO_INPUT = new InputStream() {
    @Override
    public int read() {
      throw new AssertionError("the command asked for a secret on standard input");
    }
  };

  private final Path home;
  private final Map<String, String> environment = new HashMap<>();
  private Supplier<Optional<Keyring>> keyrings = Optional::empty;

  InProcessCli(Path home) {
    this.home = home;
  }

  /** Sets {@code variable} in the environment the secrets are read from (null removes it). */
  InProcessCli env(String variable, String value) {
    if (value == null) {
      environment.remove(variable);
    } else {
      environment.put(variable, value);
    }
    return this;
  }

  InProcessCli keyrings(Supplier<Optional<Keyring>> keyrings) {
    this.keyrings = keyrings;
    return this;
  }

  /** Runs {@code securecom --home <home> args}. */
  Result run(String... args) {
    ProfileOptions options = new ProfileOptions();
    options.secrets = new Secrets(Map.copyOf(environment)::get, null, NO_INPUT,
        new PrintStream(OutputStream.nullOutputStream()));
    options.keyrings = keyrings;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] full = new String[args.length + 2];
    full[0] = "--home";
    full[1] = home.toString();
    System.arraycopy(args, 0, full, 2, args.length);
    int code = SecureCom.commandLine(options).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute(full);
    return new Result(code, out.toString(), err.toString());
  }
}
