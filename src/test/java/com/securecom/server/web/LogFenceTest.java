package com.securecom.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, finding 7: every malformed path logged a ~2.9 KB SEVERE stack trace (log
 * amplification).
 */
class LogFenceTest {
  private static LogRecord decoderFailure() {
    IllegalArgumentException thrown =
        new IllegalArgumentException(
            "URLDecoder: Illegal hex characters in escape (%) pattern - %u0");
    thrown.setStackTrace(
        new StackTraceElement[] {
          new StackTraceElement(
              "org.glassfish.grizzly.http.util.URLDecoder", "decode", "URLDecoder.java", 199)
        });
    LogRecord record = new LogRecord(Level.SEVERE, "AS-WEB-CORE-00037");
    record.setThrown(thrown);
    return record;
  }

  @Test
  void undecodablePathRecords_areDropped_othersPass() {
    Logger container = Logger.getLogger("test.container." + System.nanoTime());
    container.setUseParentHandlers(false);
    List<LogRecord> published = new ArrayList<>();
    container.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (container.getFilter() == null || container.getFilter().isLoggable(record)) {
              published.add(record);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
    LogFence.install(container);
    LogFence.install(container);

    container.log(decoderFailure());
    ArrayIndexOutOfBoundsException normalise =
        new ArrayIndexOutOfBoundsException("Index 14 out of bounds");
    normalise.setStackTrace(
        new StackTraceElement[] {
          new StackTraceElement(
              "org.glassfish.grizzly.http.util.HttpRequestURIDecoder",
              "normalizeBytes",
              "HttpRequestURIDecoder.java",
              499)
        });
    LogRecord normaliseFailure = new LogRecord(Level.SEVERE, "AS-WEB-CORE-00037");
    normaliseFailure.setThrown(normalise);
    container.log(normaliseFailure);
    container.log(Level.SEVERE, "a real failure", new IllegalStateException("boom"));

    assertThat(published).extracting(LogRecord::getMessage).containsExactly("a real failure");
  }
}
