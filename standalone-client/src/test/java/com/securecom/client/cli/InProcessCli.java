package com.securecom.client.cli;

import com.securecom.client.keyring.Keyring;
import com.securecom.client.net.TinyHttpServer;
import com.securecom.protocol.crypto.Bytes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code securecom} run in this JVM as the launcher runs it ({@link SecureCom#commandLine}), with
 * profiles under a home of the test's own, secrets from an environment of the test's own, a keyring
 * of its choosing (none unless given), and standard input that fails the test if a command reads a
 * secret from it.
 */
final class InProcessCli {
  /** What a command printed and its exit code. */
  record Result(int exitCode, String out, String err) {}

  /** Standard input that fails the test if a prompt reads it. */
  static final InputStream NO_INPUT =
      new InputStream() {
        @Override
        public int read() {
          throw new AssertionError("the command asked for a secret on standard input");
        }
      };

  /** The server key {@link #accountServer} shows. */
  static final String SERVER_KEY = Bytes.base64(new byte[32]);

  static final String PASSPHRASE = "violet tractor harbours a quantum pebble 83";
  static final String PASSWORD = "account password, 10+ chars";

  /**
   * A REST server that accepts registrations, logs in with {@code token-1} (until 2099) and logs
   * out: what {@code register} and {@code login} need.
   */
  static TinyHttpServer accountServer() throws IOException {
    return TinyHttpServer.start()
        .answer("GET", "/api/server-key", 200, "{\"publicKey\":\"" + SERVER_KEY + "\"}")
        .answer("POST", "/api/accounts", 201, "")
        .answer(
            "POST",
            "/api/sessions",
            200,
            "{\"token\":\"token-1\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}")
        .answer("DELETE", "/api/sessions/current", 204, "");
  }

  /** A runner with {@link #PASSPHRASE} and {@link #PASSWORD} in its environment. */
  static InProcessCli withSecrets(Path home) {
    return new InProcessCli(home)
        .env("SECURECOM_PASSPHRASE", PASSPHRASE)
        .env("SECURECOM_PASSWORD", PASSWORD);
  }

  private final Path home;
  private final Map<String, String> environment = new HashMap<>();
  private Supplier<Optional<Keyring>> keyrings = Optional::empty;
  private InputStream answers = NO_INPUT;
  private ProfileOptions.MessengerFactory messengers;
  private ProfileOptions.TerminalFactory terminals =
      () -> {
        throw new AssertionError("the command opened a terminal");
      };

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

  /** What the next commands read as answers to their questions (default: nothing to read). */
  InProcessCli answering(String lines) {
    this.answers = new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  InProcessCli keyrings(Supplier<Optional<Keyring>> keyrings) {
    this.keyrings = keyrings;
    return this;
  }

  /**
   * Messengers over a test double of the relay and registry (default: the real ones, against
   * --server).
   */
  InProcessCli messengers(ProfileOptions.MessengerFactory messengers) {
    this.messengers = messengers;
    return this;
  }

  /** The terminal {@code chat} types in (default: none; opening one fails the test). */
  InProcessCli terminals(ProfileOptions.TerminalFactory terminals) {
    this.terminals = terminals;
    return this;
  }

  /** Runs {@code securecom --home <home> args}. */
  Result run(String... args) {
    ProfileOptions options = new ProfileOptions();
    options.secrets =
        new Secrets(
            Map.copyOf(environment)::get,
            null,
            NO_INPUT,
            new PrintStream(OutputStream.nullOutputStream()));
    options.keyrings = keyrings;
    options.terminals = terminals;
    options.answers = answers;
    if (messengers != null) {
      options.messengers = messengers;
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] full = new String[args.length + 2];
    full[0] = "--home";
    full[1] = home.toString();
    System.arraycopy(args, 0, full, 2, args.length);
    int code =
        SecureCom.commandLine(options)
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(full);
    return new Result(code, out.toString(), err.toString());
  }
}
