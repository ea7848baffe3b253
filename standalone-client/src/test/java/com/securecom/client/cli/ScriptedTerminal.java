package com.securecom.client.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * A terminal in this JVM for {@code chat}: the test types lines into it and reads what is on its
 * "screen" (all output so far), as the tmux tests do with a real one.
 */
final class ScriptedTerminal {
  private static final int END = -1;
  private final LinkedBlockingQueue<Integer> keys = new LinkedBlockingQueue<>();
  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();

  private final InputStream in =
      new InputStream() {
        @Override
        public int read() throws IOException {
          try {
            return keys.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
          }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (len == 0) {
            return 0;
          }
          int first = read();
          if (first == END) {
            return END;
          }
          b[off] = (byte) first;
          int n = 1;
          while (n < len && keys.peek() != null && keys.peek() != END) {
            b[off + n++] = (byte) (int) keys.poll();
          }
          return n;
        }

        @Override
        public int available() {
          return keys.size();
        }
      };

  private final OutputStream out =
      new OutputStream() {
        @Override
        public void write(int b) {
          synchronized (screen) {
            screen.write(b);
          }
        }

        @Override
        public void write(byte[] b, int off, int len) {
          synchronized (screen) {
            screen.write(b, off, len);
          }
        }
      };

  /** For {@link InProcessCli#terminals}. */
  Terminal open() throws IOException {
    return TerminalBuilder.builder()
        .system(false)
        .streams(in, out)
        .type("dumb")
        .dumb(true)
        .encoding(StandardCharsets.UTF_8)
        .build();
  }

  /** Types {@code line} and Enter. */
  void type(String line) {
    for (byte b : (line + "\r").getBytes(StandardCharsets.UTF_8)) {
      keys.add(b & 0xff);
    }
  }

  /** Ends the input (Ctrl-D on an empty line). */
  void endInput() {
    keys.add(END);
  }

  String screen() {
    synchronized (screen) {
      return screen.toString(StandardCharsets.UTF_8);
    }
  }

  /** Waits until {@code text} is on the screen. */
  void awaitScreen(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!screen().contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "\"" + text + "\" did not appear within " + timeout + "; the screen:\n" + screen());
      }
      Thread.sleep(20);
    }
  }
}
