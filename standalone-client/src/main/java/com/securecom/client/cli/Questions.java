package com.securecom.client.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Questions a command asks its user ("[y/N]", a code to type), answered one line each from one
 * reader over the answers' stream, so that two questions of one command never lose a line to each
 * other's buffer.
 */
final class Questions {
  private final BufferedReader answers;

  Questions(InputStream answers) {
    this.answers = new BufferedReader(new InputStreamReader(answers, StandardCharsets.UTF_8));
  }

  /** Prints {@code prompt} and reads one line; null at the end of the answers. */
  String line(PrintWriter out, String prompt) throws IOException {
    out.print(prompt);
    out.flush();
    return answers.readLine();
  }

  /** Asks {@code question}; true only for "y" (any case, spaces around it ignored). */
  boolean confirmed(PrintWriter out, String question) throws IOException {
    String answer = line(out, question);
    return answer != null && answer.trim().equalsIgnoreCase("y");
  }
}
