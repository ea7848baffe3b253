package com.securecom.client.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Programs in pseudo-terminals, driven like a person at a keyboard: tmux sessions on a private tmux
 * server (its own socket, killed on {@link #close()}), 200x50 characters each; {@link #type} sends
 * keystrokes, {@link #screen} reads what is on the screen.
 */
final class Tmux implements AutoCloseable {
  private final String socket = "securecom-it-" + UUID.randomUUID();

  /** True if a working tmux is on the PATH. */
  static boolean installed() {
    try {
      Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Starts {@code command} in a new session named {@code name}, with {@code environment} added to
   * this machine's. When the program ends, {@code [exit <code>]} appears on its screen.
   */
  void start(String name, List<String> command, Map<String, String> environment) throws Exception {
    StringBuilder shell = new StringBuilder("env");
    environment.forEach((key, value) -> shell.append(' ').append(quote(key + "=" + value)));
    command.forEach(arg -> shell.append(' ').append(quote(arg)));
    shell.append("; echo \"[exit $?]\"; sleep 3600");
    tmux("new-session", "-d", "-s", name, "-x", "200", "-y", "50", shell.toString());
  }

  /** Types {@code line} and presses Enter. */
  void type(String name, String line) throws Exception {
    tmux("send-keys", "-t", name, "-l", line);
    tmux("send-keys", "-t", name, "Enter");
  }

  /** The text on the session's screen now. */
  String screen(String name) throws Exception {
    return tmux("capture-pane", "-p", "-J", "-t", name);
  }

  /** Waits until {@code text} is on the session's screen. */
  void awaitScreen(String name, String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String screen = screen(name);
    while (!screen.contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "\""
                + text
                + "\" did not appear on "
                + name
                + "'s screen within "
                + timeout
                + "; the screen:\n"
                + screen);
      }
      Thread.sleep(100);
      screen = screen(name);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      tmux("kill-server");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String tmux(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("SECURECOM_") || name.equals("TMUX"));
    environment.putIfAbsent("TERM", "xterm-256color");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish");
    }
    if (process.exitValue() != 0 && !args[0].equals("kill-server")) {
      throw new AssertionError(String.join(" ", command) + " failed: " + output);
    }
    return output;
  }

  private static String quote(String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
