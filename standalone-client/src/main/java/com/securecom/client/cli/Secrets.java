package com.securecom.client.cli;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Asks for the profile passphrase and the account password: from the environment for scripts
 * ({@code SECURECOM_PASSPHRASE}, {@code SECURECOM_PASSWORD}), else at the terminal without echo,
 * else one line of standard input (read byte by byte, so nothing after that line is consumed).
 * Never logged.
 */
final class Secrets {
  private final UnaryOperator<String> environment;
  private final Console console;
  private final InputStream in;
  private final PrintStream prompts;

  /** {@code console} may be null (no terminal). */
  Secrets(UnaryOperator<String> environment, Console console, InputStream in, PrintStream prompts) {
    this.environment = environment;
    this.console = console;
    this.in = in;
    this.prompts = prompts;
  }

  static Secrets fromSystem() {
    return new Secrets(System::getenv, System.console(), System.in, System.err);
  }

  /** The passphrase of an existing profile. */
  char[] passphrase() {
    return ask("SECURECOM_PASSPHRASE", "Profile passphrase: ", false);
  }

  /** A new passphrase, typed twice at a terminal; the caller checks it against the policy. */
  char[] newPassphrase() {
    return ask("SECURECOM_PASSPHRASE", "New profile passphrase: ", true);
  }

  String password(boolean confirm) {
    return new String(ask("SECURECOM_PASSWORD", "Account password: ", confirm));
  }

  private char[] ask(String variable, String prompt, boolean confirm) {
    String fromEnv = environment.apply(variable);
    if (fromEnv != null) {
      return fromEnv.toCharArray();
    }
    if (console == null) {
      return readLine(prompt);
    }
    char[] first = console.readPassword(prompt);
    if (first == null) {
      throw new IllegalArgumentException("no input");
    }
    if (confirm) {
      char[] again = console.readPassword("Again: ");
      boolean same = again != null && Arrays.equals(first, again);
      if (again != null) {
        Arrays.fill(again, '\0');
      }
      if (!same) {
        Arrays.fill(first, '\0');
        throw new IllegalArgumentException("the two entries differ");
      }
    }
    return first;
  }

  private char[] readLine(String prompt) {
    String what = prompt.replace(":", "").trim().toLowerCase(Locale.ROOT);
    prompts.print(prompt);
    prompts.flush();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      int b = in.read();
      if (b == -1) {
        throw new IllegalArgumentException("no " + what + " given (set it in the environment)");
      }
      while (b != -1 && b != '\n') {
        line.write(b);
        b = in.read();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + what, e);
    }
    byte[] bytes = line.toByteArray();
    int length =
        bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
    CharBuffer decoded = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, length));
    char[] chars = Arrays.copyOf(decoded.array(), decoded.limit());
    Arrays.fill(decoded.array(), '\0');
    Arrays.fill(bytes, (byte) 0);
    return chars;
  }
}
