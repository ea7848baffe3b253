package com.securecom.client.keyring;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Secret Service through libsecret's command-line tool, run directly (no shell): {@code
 * secret-tool store --label=LABEL application securecom entry ID} with the secret on standard
 * input, {@code secret-tool lookup application securecom entry ID} (the secret on standard output,
 * exit 1 if there is none) and {@code secret-tool clear ...}. The secret never appears in an
 * argument or an environment variable.
 */
public final class SecretToolKeyring implements Keyring {
  static final String TOOL = "secret-tool";
  private static final Duration TIMEOUT =
      Duration.ofSeconds(60); // the desktop may ask the user to unlock it

  private final Path executable;

  public SecretToolKeyring(Path executable) {
    this.executable = executable;
  }

  /**
   * The keyring whose {@code secret-tool} is the first on {@code path} (a {@code PATH} value), if
   * any.
   */
  public static Optional<Keyring> find(String path) {
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      try {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, TOOL);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(new SecretToolKeyring(candidate.toAbsolutePath()));
        }
      } catch (InvalidPathException e) {
        // not a directory name; keep looking
      }
    }
    return Optional.empty();
  }

  @Override
  public void store(String entry, String label, char[] secret) throws IOException {
    byte[] input = utf8(secret);
    try {
      Result result = run(List.of("store", "--label=" + label), entry, input);
      if (result.exitCode() != 0) {
        throw new KeyringException(
            "no OS keyring found; choose a passphrase (secret-tool: " + result.error() + ")");
      }
    } finally {
      Arrays.fill(input, (byte) 0);
    }
  }

  @Override
  public Optional<char[]> lookup(String entry) throws IOException {
    Result result = run(List.of("lookup"), entry, new byte[0]);
    try {
      if (result.exitCode() != 0) {
        if (result.error().isEmpty()) {
          return Optional.empty(); // secret-tool's answer for "no such item"
        }
        throw new KeyringException(
            "cannot read the OS keyring (secret-tool: " + result.error() + ")");
      }
      int length = result.output().length;
      while (length > 0
          && (result.output()[length - 1] == '\n' || result.output()[length - 1] == '\r')) {
        length--; // defensive: secret-tool adds a newline only when its output is a terminal
      }
      return Optional.of(chars(result.output(), length));
    } finally {
      Arrays.fill(result.output(), (byte) 0);
    }
  }

  @Override
  public void clear(String entry) throws IOException {
    Result result = run(List.of("clear"), entry, new byte[0]);
    if (result.exitCode() != 0 && !result.error().isEmpty()) {
      throw new KeyringException(
          "cannot clear the OS keyring entry (secret-tool: " + result.error() + ")");
    }
  }

  private record Result(int exitCode, byte[] output, String error) {}

  private Result run(List<String> command, String entry, byte[] input) throws IOException {
    List<String> arguments = new ArrayList<>();
    arguments.add(executable.toString());
    arguments.addAll(command);
    arguments.addAll(List.of("application", "securecom", "entry", entry));
    Process process;
    try {
      process = new ProcessBuilder(arguments).start();
    } catch (IOException e) {
      throw new KeyringException(
          "no OS keyring found; choose a passphrase (cannot run " + executable + ")");
    }
    try {
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.write(input);
      } catch (IOException closedEarly) {
        // the tool exited without reading its input; its exit code and message say why
      }
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new KeyringException(
            "the OS keyring did not answer within " + TIMEOUT.toSeconds() + " s");
      }
      byte[] output = readAll(process.getInputStream());
      String error =
          new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return new Result(process.exitValue(), output, firstLine(error));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeyringException("interrupted while waiting for the OS keyring");
    } finally {
      process.destroyForcibly();
    }
  }

  /** Reads everything, zeroing every buffer but the one returned. */
  private static byte[] readAll(InputStream in) throws IOException {
    byte[] buffer = new byte[256];
    int count = 0;
    for (int n; (n = in.read(buffer, count, buffer.length - count)) != -1; ) {
      count += n;
      if (count == buffer.length) {
        byte[] larger = Arrays.copyOf(buffer, buffer.length * 2);
        Arrays.fill(buffer, (byte) 0);
        buffer = larger;
      }
    }
    byte[] out = Arrays.copyOf(buffer, count);
    Arrays.fill(buffer, (byte) 0);
    return out;
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline).strip();
  }

  private static byte[] utf8(char[] secret) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(secret));
    byte[] bytes = Arrays.copyOf(encoded.array(), encoded.limit());
    Arrays.fill(encoded.array(), (byte) 0);
    return bytes;
  }

  private static char[] chars(byte[] utf8, int length) {
    CharBuffer decoded = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(utf8, 0, length));
    char[] chars = Arrays.copyOf(decoded.array(), decoded.limit());
    Arrays.fill(decoded.array(), '\0');
    return chars;
  }
}
