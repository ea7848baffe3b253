package com.securecom.server.persistence;

import org.eclipse.persistence.config.SessionCustomizer;
import org.eclipse.persistence.sessions.DatabaseLogin;
import org.eclipse.persistence.sessions.Session;

/**
 * Makes a database outage fail a transaction at once instead of after EclipseLink's reconnect loop
 * (by default it validates the connection after a communication error and retries the query up to
 * three times, five seconds apart: a {@code send} then waits 15 s or more, past the channel's idle
 * timeout, and readiness hangs). The relay answers {@code unavailable} (nothing stored; the client
 * resends) and {@code /health/ready} says DOWN as soon as the database does not answer; the pool
 * reconnects on the next transaction once it is back.
 */
public final class FailFastOnOutage implements SessionCustomizer {
  @Override
  public void customize(Session session) {
    if (session.getDatasourceLogin() instanceof DatabaseLogin login) {
      login.setQueryRetryAttemptCount(0);
      login.setDelayBetweenConnectionAttempts(0);
      login.setConnectionHealthValidatedOnError(false);
    }
  }
}
