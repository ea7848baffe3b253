package com.securecom.client.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Asks for the profile passphrase and the account password: from the environment for scripts
 * ({@code SECURECOM_PASSPHRASE}, {@code SECURECOM_PASSWORD}), else at the terminal without echo. Never logged.
 */
final class Secrets {
  private Secrets() {}

  static char[] passphrase(boolean confirm) {
    return ask("SECURECOM_PASSPHRASE", "Profile passphrase: ", confirm);
  }

  static String password(boolean confirm) {
    return new String(ask("SECURECOM_PASSWORD", "Account password: ", confirm));
  }

  private static char[] ask(String variable, String prompt, boolean confirm) {
    String fromEnv = System.getenv(variable);
    if (fromEnv != null) {
      return fromEnv.toCharArray();
    }
    Console console = System.console();
    if (console == null) {
      return readLine(prompt);
    }
    char[] first = console.readPassword(prompt);
    if (first == null) {
      throw new IllegalArgumentException("no input");
    }
    if (confirm) {
      char[] again = console.readPassword("Again: ");
      if (again == null || !java.util.Arrays.equals(first, again)) {
        throw new IllegalArgumentException("the two entries differ");
      }
    }
    return first;
  }

  private static char[] readLine(String prompt) {
    System.err.print(prompt);
    try {
      String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (line == null) {
        throw new IllegalArgumentException("no " + prompt.trim().toLowerCase() + " given (set it in the environment)");
      }
      return line.toCharArray();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + prompt.trim().toLowerCase(), e);
    }
  }
}
