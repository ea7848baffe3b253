package com.securecom.server.audit;

import com.securecom.protocol.channel.CloseCodes;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Counts and logs what an operator needs to see of logins, registrations, rate limits and channel
 * errors (docs/operations.md, "Logs and metrics").
 *
 * <p>The counters are exact. The log lines go to the logger {@code securecom.audit}: a username
 * only when it names an account (a failed login for a name that is not an account logs no name, as
 * users sometimes type their password into the name field), the client address as the server sees
 * it, never a password, token, key or message. Lines for failures, rate limits and channel errors
 * are at most {@link LogBudget#LINES_PER_MINUTE} a minute each, so an attack cannot flood the disk;
 * the lines held back are counted in the next line.
 */
@ApplicationScoped
public class AuditLog {
  /** The logger's name, to route or silence these lines in the server's logging configuration. */
  public static final String LOGGER_NAME = "securecom.audit";

  private static final Logger LOG = Logger.getLogger(LOGGER_NAME);

  private MetricRegistry registry;
  private final LogBudget failures = new LogBudget();
  private final LogBudget limits = new LogBudget();
  private final LogBudget channel = new LogBudget();

  /**
   * The channel-closed counter of each close code the server sends, made at deployment: a close can
   * be triggered on a thread of the data grid (a logout, a removal or a link on another node),
   * where the container's metrics cannot make a counter (they need the application's context).
   */
  private final Map<Integer, Counter> closedByCode = new ConcurrentHashMap<>();

  /** The close codes the server sends (docs/protocol.md, "Close codes"). */
  private static final List<Integer> CLOSE_CODES =
      List.of(
          CloseCodes.NORMAL,
          CloseCodes.MALFORMED,
          CloseCodes.POLICY,
          CloseCodes.TOO_BIG,
          CloseCodes.SERVER_ERROR,
          CloseCodes.UNAUTHORIZED,
          CloseCodes.CONNECTED_ELSEWHERE,
          CloseCodes.DEVICE_REMOVED,
          CloseCodes.UPGRADE_REQUIRED,
          CloseCodes.RATE_LIMITED);

  protected AuditLog() {}

  @Inject
  public AuditLog(MetricRegistry registry) {
    this.registry = registry;
  }

  /** The counters exist, at zero, from the start. */
  @PostConstruct
  void register() {
    logins("succeeded");
    logins("failed");
    registrations();
    CLOSE_CODES.forEach(code -> closedByCode.put(code, closedCounter(code)));
  }

  /**
   * Made at deployment, on a thread of the application, so that its counters exist before any other
   * thread (a grid notice's) first uses this log.
   */
  void created(@Observes @Initialized(ApplicationScoped.class) Object deployed) {
    // observing the event is what makes the container create this bean now
  }

  public void loginSucceeded(String username, int device, String clientAddress) {
    logins("succeeded").inc();
    LOG.info(
        () ->
            "login succeeded user=" + username + " device=" + device + " address=" + clientAddress);
  }

  /**
   * The right password for a device the account does not have: a removed device, or someone who
   * knows the password probing device ids. Counted as a failed login.
   */
  public void loginToRemovedDevice(String username, int device, String clientAddress) {
    logins("failed").inc();
    failures.log(
        LOG,
        Level.WARNING,
        "login refused user=" + username + " device=" + device + " reason=device_removed",
        clientAddress);
  }

  /**
   * A wrong password, or a name that is no account ({@code account} empty then: the name is not
   * logged).
   */
  public void loginFailed(String account, String clientAddress) {
    logins("failed").inc();
    failures.log(
        LOG,
        Level.WARNING,
        "login failed user=" + (account == null ? "(no such account)" : account),
        clientAddress);
  }

  /**
   * A new signed device list was stored for {@code username}, removing {@code removed} (empty: a
   * re-sign).
   */
  public void deviceListStored(
      String username, long serial, List<Integer> removed, String clientAddress) {
    LOG.info(
        () ->
            "device list stored user="
                + username
                + " serial="
                + serial
                + (removed.isEmpty()
                    ? ""
                    : " removed="
                        + removed.stream().map(String::valueOf).collect(Collectors.joining(",")))
                + " address="
                + clientAddress);
  }

  /** A device was linked to an account (its name, the device's own choice, is not logged). */
  public void deviceLinked(String username, int deviceId, String clientAddress) {
    LOG.info(
        () ->
            "device linked user=" + username + " device=" + deviceId + " address=" + clientAddress);
  }

  public void registered(String username, String clientAddress) {
    registrations().inc();
    LOG.info(() -> "registered user=" + username + " address=" + clientAddress);
  }

  /**
   * A 429 answered to {@code operation} (the resource method, e.g. {@code login}), from the address
   * if known.
   */
  public void rateLimited(String operation, String clientAddress) {
    registry
        .counter(
            Metadata.builder()
                .withName("securecom_rate_limited")
                .withDescription("Requests answered 429 (throttles and rate limits), by operation")
                .build(),
            new Tag("operation", operation))
        .inc();
    limits.log(LOG, Level.WARNING, "rate limited operation=" + operation, clientAddress);
  }

  /**
   * The server closed a channel connection with this close code (the reason is not logged: a
   * decoder's message may quote what the client sent).
   */
  public void channelClosed(int code) {
    Counter counter = closedByCode.get(code);
    if (counter != null) {
      counter.inc();
    }
    channel.log(LOG, Level.INFO, "channel closed code=" + code, null);
  }

  private Counter closedCounter(int code) {
    return registry.counter(
        Metadata.builder()
            .withName("securecom_channel_closed")
            .withDescription("Channel connections the server closed, by close code")
            .build(),
        new Tag("code", Integer.toString(code)));
  }

  private org.eclipse.microprofile.metrics.Counter logins(String outcome) {
    return registry.counter(
        Metadata.builder()
            .withName("securecom_logins")
            .withDescription("Password logins, by outcome (429s are in securecom_rate_limited)")
            .build(),
        new Tag("outcome", outcome));
  }

  private org.eclipse.microprofile.metrics.Counter registrations() {
    return registry.counter(
        Metadata.builder()
            .withName("securecom_registrations")
            .withDescription("Accounts registered")
            .build());
  }
}
