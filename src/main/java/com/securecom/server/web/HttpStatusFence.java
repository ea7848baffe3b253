package com.securecom.server.web;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Makes the container write {@code HTTP/1.1 429 Too Many Requests}. Grizzly's status table (Payara
 * Micro 6) lacks 429 (RFC 6585), so a 429 went out as {@code 429 CUSTOM}; this adds the entry once
 * at start-up. On another container, or a Grizzly that already knows 429, nothing changes. Upstream
 * report: docs/upstream/grizzly-429-reason-phrase.md.
 */
@WebListener
public class HttpStatusFence implements ServletContextListener {
  private static final Logger LOG = Logger.getLogger(HttpStatusFence.class.getName());
  static final String GRIZZLY_STATUS = "org.glassfish.grizzly.http.util.HttpStatus";

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ClassLoader container = event.getServletContext().getClass().getClassLoader();
    if (!register(container, 429, "Too Many Requests")) {
      LOG.fine("HTTP status 429 left to the container");
    }
  }

  /**
   * Adds {@code code} to Grizzly's table if it is missing; true if it is there now under a real
   * reason phrase.
   */
  @SuppressWarnings("unchecked")
  static boolean register(ClassLoader loader, int code, String reason) {
    try {
      Class<?> status = Class.forName(GRIZZLY_STATUS, true, loader);
      Field table = status.getDeclaredField("statusMessages");
      table.setAccessible(true);
      Map<Integer, Object> statuses = (Map<Integer, Object>) table.get(null);
      Method create = status.getMethod("newHttpStatus", int.class, String.class);
      synchronized (statuses) {
        statuses.putIfAbsent(code, create.invoke(null, code, reason));
      }
      Object registered = statuses.get(code);
      return !"CUSTOM".equals(status.getMethod("getReasonPhrase").invoke(registered));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError notGrizzly) {
      LOG.warning("Could not add HTTP status " + code + " to the container's table: " + notGrizzly);
      return false;
    }
  }
}
