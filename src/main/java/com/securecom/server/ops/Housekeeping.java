package com.securecom.server.ops;

import com.securecom.server.account.AccountService;
import com.securecom.server.channel.ConnectionThrottle;
import com.securecom.server.devicelist.DeviceLinking;
import com.securecom.server.devicelist.DeviceLists;
import com.securecom.server.keys.BundleLimits;
import com.securecom.server.link.LinkMailboxes;
import com.securecom.server.persistence.Database;
import com.securecom.server.relay.ConnectionRegistry;
import com.securecom.server.relay.MessageRepository;
import com.securecom.server.session.SessionService;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Once a minute: deletes messages whose time to live ended, forgets expired sessions and refilled
 * throttles, and closes connections whose session expired. Each purge of expired rows is bounded
 * ({@link com.securecom.server.persistence.ExpiryPurge}: 1,000 rows a transaction, 10,000 a run),
 * so a backlog drains over several runs instead of in one long transaction. Every {@code
 * securecom.db.h2.compact-every} (default 10 minutes, first at the first run) it compacts an H2
 * file database, so the file returns to the size of what it holds once queues drain. Runs on the
 * container's managed scheduled executor with a fixed delay, so two runs never overlap. (Not an EJB
 * timer: this was the WAR's only EJB, and a restarted Payara Micro once failed to deploy it with
 * "DeploymentContext does not contain any EJB"; without an EJB the EJB container is not involved at
 * all. docs/upstream/payara-ejb-deploy-on-restart.md.)
 */
@ApplicationScoped
public class Housekeeping {
  private static final Logger LOG = Logger.getLogger(Housekeeping.class.getName());

  private MessageRepository messages;
  private SessionService sessions;
  private ConnectionRegistry connections;
  private Clock clock;
  private Database database;
  private Duration compactEvery;
  private Duration compactMaxTime;
  private AccountService accounts;
  private BundleLimits bundleLimits;
  private DeviceLists deviceLists;
  private DeviceLinking linking;
  private LinkMailboxes mailboxes;
  private ConnectionThrottle connectionThrottle;

  /** A container resource: {@code @Resource} cannot be a constructor parameter. */
  @Resource ManagedScheduledExecutorService scheduler;

  private ScheduledFuture<?> minutely;

  /** For the CDI container's proxy only. */
  protected Housekeeping() {}

  @Inject
  public Housekeeping(
      MessageRepository messages,
      SessionService sessions,
      ConnectionRegistry connections,
      Clock clock,
      Database database,
      @ConfigProperty(name = "securecom.db.h2.compact-every", defaultValue = "PT10M")
          Duration compactEvery,
      @ConfigProperty(name = "securecom.db.h2.compact-max-time", defaultValue = "PT2S")
          Duration compactMaxTime,
      AccountService accounts,
      BundleLimits bundleLimits,
      DeviceLists deviceLists,
      DeviceLinking linking,
      LinkMailboxes mailboxes,
      ConnectionThrottle connectionThrottle) {
    this.messages = messages;
    this.sessions = sessions;
    this.connections = connections;
    this.clock = clock;
    this.database = database;
    this.compactEvery = compactEvery;
    this.compactMaxTime = compactMaxTime;
    this.accounts = accounts;
    this.bundleLimits = bundleLimits;
    this.deviceLists = deviceLists;
    this.linking = linking;
    this.mailboxes = mailboxes;
    this.connectionThrottle = connectionThrottle;
  }

  private long nextCompaction;

  /** At deployment: the first run a minute later, then a minute after each run ends. */
  void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
    minutely = scheduler.scheduleWithFixedDelay(this::runGuarded, 1, 1, TimeUnit.MINUTES);
  }

  @PreDestroy
  void stop() {
    if (minutely != null) {
      minutely.cancel(false);
    }
  }

  /** A run that throws would end the schedule: nothing may escape. */
  private void runGuarded() {
    try {
      run();
    } catch (RuntimeException e) {
      LOG.warning("Housekeeping failed: " + e.getClass().getName());
    }
  }

  /** One run of every job (the scheduler's work; for tests too). */
  void run() {
    long now = clock.millis();
    // Each job alone: one that fails (a database outage, a bug) must not keep the others from
    // running.
    int expiredMessages = guarded("purging expired messages", () -> messages.purgeExpired(now));
    int expiredSessions = guarded("purging expired sessions", sessions::purgeExpired);
    guarded("purging expired linking tickets", linking::purgeExpired);
    guarded("purging expired link mailboxes", mailboxes::purgeExpired);
    guarded(
        "closing expired sessions' connections",
        () -> {
          connections.closeExpired(now);
          return 0;
        });
    guarded(
        "evicting idle throttles",
        () -> {
          accounts.evictIdle();
          bundleLimits.evictIdle();
          deviceLists.evictIdle();
          connectionThrottle.evictIdle();
          return 0;
        });
    if (expiredMessages + expiredSessions > 0) {
      LOG.fine(
          () ->
              "Purged "
                  + expiredMessages
                  + " expired messages and "
                  + expiredSessions
                  + " sessions");
    }
    if (now >= nextCompaction) {
      nextCompaction = now + compactEvery.toMillis();
      compact();
    }
  }

  private static int guarded(String job, java.util.function.IntSupplier work) {
    try {
      return work.getAsInt();
    } catch (RuntimeException e) {
      LOG.warning("Housekeeping failed " + job + ": " + e.getClass().getName());
      return 0;
    }
  }

  /**
   * Gives an H2 file's free space back (at most {@code compact-max-time} of work); logged, never
   * thrown.
   */
  void compact() {
    try {
      database.compact((int) Math.min(Integer.MAX_VALUE, compactMaxTime.toMillis()));
    } catch (RuntimeException e) {
      LOG.warning("Database compaction failed: " + e.getClass().getName());
    }
  }
}
