package com.securecom.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a server process prints: appended to its log file, the last lines kept for failure messages,
 * and, for the current launch only (a killed one's output may end after the next has started),
 * Payara's "ready" line and the data grid's size ("DG Size: n").
 */
final class ServerOutput {
  private static final Pattern READY = Pattern.compile("Payara Micro .* ready");
  private static final Pattern GRID_SIZE = Pattern.compile("DG Size: (\\d+)");
  private static final int TAIL_LINES = 60;

  private final Path log;
  private final Deque<String> lastLines = new ArrayDeque<>();
  private final Object state = new Object();
  private int generation;
  private boolean ready;
  private boolean ended;
  private int gridSize;
  private long gridSizeChangedAt;

  ServerOutput(Path log) {
    this.log = log;
  }

  Path log() {
    return log;
  }

  /** Appends {@code line} to the log, e.g. a mark where a start begins. */
  void mark(String line) throws IOException {
    try (Writer out = append()) {
      out.write(line + "\n");
    }
  }

  /** Follows the output of a newly started {@code process} from now on, in a daemon thread. */
  void follow(Process process, String threadName) {
    int launch;
    synchronized (state) {
      launch = ++generation;
      ready = false;
      ended = false;
      gridSize = 0;
    }
    Thread pump = new Thread(() -> copy(process, launch), threadName);
    pump.setDaemon(true);
    pump.start();
  }

  /**
   * Waits for the "ready" line until {@code deadline} ({@link System#nanoTime()}); {@code exited}
   * and {@code late} word the exception if the process ends first or the time runs out.
   */
  void awaitReady(long deadline, Supplier<String> exited, Supplier<String> late)
      throws InterruptedException {
    synchronized (state) {
      while (!ready) {
        if (ended) {
          throw new IllegalStateException(exited.get() + ":\n" + tail());
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(late.get() + ":\n" + tail());
        }
        state.wait(Math.min(250, Math.max(1, left / 1_000_000)));
      }
    }
  }

  /** Waits until the grid has {@code members} members; returns when it said so (epoch millis). */
  long awaitGridSize(String name, int members, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (state) {
      while (gridSize != members) {
        if (ended) {
          throw new IllegalStateException(
              name + " exited while waiting for " + members + " members:\n" + tail());
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(
              String.format(
                  "%s did not see %d grid members within %s (last reported: %d):%n%s",
                  name, members, timeout, gridSize, tail()));
        }
        state.wait(Math.min(250, Math.max(1, left / 1_000_000)));
      }
      return gridSizeChangedAt;
    }
  }

  /** The last lines, and where the whole log is. */
  String tail() {
    synchronized (lastLines) {
      return String.join("\n", lastLines) + "\n(whole log: " + log + ")";
    }
  }

  private Writer append() throws IOException {
    return Files.newBufferedWriter(
        log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private void copy(Process process, int launch) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer out = append()) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        out.write(line);
        out.write('\n');
        out.flush();
        synchronized (lastLines) {
          lastLines.addLast(line);
          if (lastLines.size() > TAIL_LINES) {
            lastLines.removeFirst();
          }
        }
        Matcher size = GRID_SIZE.matcher(line);
        boolean isReady = READY.matcher(line).find();
        if (isReady || size.find()) {
          synchronized (state) {
            if (launch == generation) {
              if (isReady) {
                ready = true;
              } else {
                gridSize = Integer.parseInt(size.group(1));
                gridSizeChangedAt = System.currentTimeMillis();
              }
              state.notifyAll();
            }
          }
        }
      }
    } catch (IOException e) {
      // the process ended
    } finally {
      synchronized (state) {
        if (launch == generation) {
          ended = true;
          state.notifyAll();
        }
      }
    }
  }
}
