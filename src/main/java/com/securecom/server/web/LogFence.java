package com.securecom.server.web;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps clients from filling the log: Payara Micro 6 logs a request path it cannot percent-decode
 * ({@code /api/keys/%u0041}, a trailing {@code %}) or normalise as SEVERE {@code AS-WEB-CORE-00037}
 * with a ~2.9 KB stack trace, before any application code runs. This filter on the container's web
 * logger turns exactly those records (thrown by Grizzly's {@code URLDecoder} or {@code
 * HttpRequestURIDecoder}) into one FINE line; every other record passes unchanged, through any
 * filter that was there before. docs/upstream/payara-path-routing.md has the upstream report.
 */
@WebListener
public class LogFence implements ServletContextListener {
  static final String CONTAINER_LOGGER = "jakarta.enterprise.web.core";
  private static final Logger LOG = Logger.getLogger(LogFence.class.getName());

  @Override
  public void contextInitialized(ServletContextEvent event) {
    install(Logger.getLogger(CONTAINER_LOGGER));
  }

  static void install(Logger container) {
    Filter previous = container.getFilter();
    if (previous instanceof UndecodablePathFilter) {
      return;
    }
    container.setFilter(new UndecodablePathFilter(previous));
  }

  /**
   * True for the container's record of a request URI that Grizzly could not decode or normalise: an
   * unchecked exception thrown in {@code URLDecoder} or {@code HttpRequestURIDecoder} (which also
   * fails with an {@code ArrayIndexOutOfBoundsException} on some paths ending in {@code /..}).
   */
  static boolean isUndecodablePath(LogRecord record) {
    Throwable thrown = record.getThrown();
    if (!(thrown instanceof RuntimeException)) {
      return false;
    }
    StackTraceElement[] stack = thrown.getStackTrace();
    return stack.length > 0
        && (stack[0].getClassName().equals("org.glassfish.grizzly.http.util.URLDecoder")
            || stack[0]
                .getClassName()
                .equals("org.glassfish.grizzly.http.util.HttpRequestURIDecoder"));
  }

  private record UndecodablePathFilter(Filter previous) implements Filter {
    @Override
    public boolean isLoggable(LogRecord record) {
      if (isUndecodablePath(record)) {
        LOG.log(Level.FINE, "Refused a request path that could not be percent-decoded");
        return false;
      }
      return previous == null || previous.isLoggable(record);
    }
  }
}
