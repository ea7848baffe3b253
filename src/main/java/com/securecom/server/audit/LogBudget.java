package com.securecom.server.audit;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * At most {@link #LINES_PER_MINUTE} lines a minute for one kind of event; the next line after a
 * quiet spell says how many were held back. Thread-safe.
 */
final class LogBudget {
  static final int LINES_PER_MINUTE = 20;
  private static final long MINUTE_NANOS = 60_000_000_000L;

  private long windowStart = System.nanoTime();
  private int lines;
  private long heldBack;

  void log(Logger logger, Level level, String event, String clientAddress) {
    if (!logger.isLoggable(level)) {
      return;
    }
    long suppressed;
    synchronized (this) {
      long now = System.nanoTime();
      if (now - windowStart >= MINUTE_NANOS) {
        windowStart = now;
        lines = 0;
      }
      if (lines >= LINES_PER_MINUTE) {
        heldBack++;
        return;
      }
      lines++;
      suppressed = heldBack;
      heldBack = 0;
    }
    logger.log(
        level,
        event
            + (clientAddress == null ? "" : " address=" + clientAddress)
            + (suppressed == 0 ? "" : " (" + suppressed + " similar lines held back)"));
  }
}
