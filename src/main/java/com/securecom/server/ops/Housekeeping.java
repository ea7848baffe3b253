package com.securecom.server.ops;

import com.securecom.server.account.AccountService;
import com.securecom.server.keys.BundleLimits;
import com.securecom.server.relay.ConnectionRegistry;
import com.securecom.server.relay.MessageRepository;
import com.securecom.server.session.SessionService;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.logging.Logger;

/**
 * Once a minute: deletes messages whose time to live ended, forgets expired sessions and refilled throttles, and
 * closes connections whose session expired. Uses the EJB timer service (non-persistent), not a managed executor.
 */
@Singleton
public class Housekeeping {
  private static final Logger LOG = Logger.getLogger(Housekeeping.class.getName());

  @Inject
  MessageRepository messages;

  @Inject
  SessionService sessions;

  @Inject
  ConnectionRegistry connections;

  @Inject
  Clock clock;

  @Inject
  AccountService accounts;

  @Inject
  BundleLimits bundleLimits;

  @Schedule(hour = "*", minute = "*", persistent = false)
  public void run() {
    long now = clock.millis();
    int expiredMessages = messages.purgeExpired(now);
    int expiredSessions = sessions.purgeExpired();
    connections.closeExpired(now);
    accounts.evictIdle();
    bundleLimits.evictIdle();
    if (expiredMessages + expiredSessions > 0) {
      LOG.fine(() -> "Purged " + expiredMessages + " expired messages and " + expiredSessions + " sessions");
    }
  }
}
