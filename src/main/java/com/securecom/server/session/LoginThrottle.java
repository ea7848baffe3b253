package com.securecom.server.session;

import com.securecom.server.ratelimit.KeyedRateLimiter;
import com.securecom.server.ratelimit.RateLimitedException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Login throttles that an attacker cannot turn against the user they attack.
 *
 * <ul>
 *   <li><b>Per (username, address)</b>: after {@code freeFailures} failures in a row the pair must
 *       wait {@code baseDelay} before its next attempt, after each further failure twice as long
 *       (up to {@code maxDelay}); an attempt during the wait is refused (429 with {@code
 *       Retry-After}). Failures from other addresses never delay this pair: there is no hard lock.
 *   <li><b>Known addresses</b>: an address the user logged in (or registered) from within {@code
 *       knownFor} is known for that user. Attempts from it are subject to the pair's backoff only,
 *       and their password hashing goes first ({@link Attempt#trusted()}).
 *   <li><b>Unknown addresses</b> are also limited per address ({@code perAddress} failures per
 *       window, so one address cannot guess across many users) and per user ({@code perUser}
 *       failures per window from unknown addresses, so many addresses cannot guess one user), and
 *       each address has at most {@code perAddressInFlight} unknown attempts hashing at once:
 *       further ones wait their turn in a queue of at most {@code perAddressQueued} per address and
 *       {@code queuedTotal} in all, and beyond that are refused (429) at once. So one address,
 *       however many requests it sends, holds at most {@code perAddressInFlight} of the hasher's
 *       slots, a flood from N addresses puts at most N x {@code perAddressInFlight} unknown
 *       attempts ahead of anyone, and waiting attempts hold at most {@code queuedTotal} of the
 *       container's request threads.
 * </ul>
 *
 * <p>Every attempt is counted as a failure before any hashing and forgiven when it succeeds, so
 * concurrent attempts cannot slip past a limit. State is per node and in memory; idle entries are
 * forgotten by {@link #evictIdle()}, known addresses are capped at {@code maxKnown} (oldest
 * forgotten first).
 */
public final class LoginThrottle {
  /** Usernames longer than this (they cannot exist) are throttled as one. */
  private static final int MAX_KEY_LENGTH = 64;

  private final int freeFailures;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final Duration forgetAfter;
  private final Duration knownFor;
  private final int maxKnown;
  private final int perAddressInFlight;
  private final KeyedRateLimiter perUser;
  private final KeyedRateLimiter perAddress;
  private final Clock clock;
  private final Map<String, Pair> pairs = new ConcurrentHashMap<>();
  private final int perAddressQueued;
  private final int queuedTotal;
  private final Map<String, int[]> slots = new java.util.HashMap<>();
  private int waiting;
  private final LinkedHashMap<String, Long> known = new LinkedHashMap<>(16, 0.75f, true);

  public LoginThrottle(Settings settings, Clock clock) {
    this.freeFailures = settings.freeFailures();
    this.baseDelay = settings.baseDelay();
    this.maxDelay = settings.maxDelay();
    this.forgetAfter = settings.window();
    this.knownFor = settings.knownFor();
    this.maxKnown = settings.maxKnown();
    this.perAddressInFlight = settings.perAddressInFlight();
    this.perAddressQueued = settings.perAddressQueued();
    this.queuedTotal = settings.queuedTotal();
    this.perUser = new KeyedRateLimiter(settings.perUser(), settings.window(), clock);
    this.perAddress = new KeyedRateLimiter(settings.perAddress(), settings.window(), clock);
    this.clock = clock;
  }

  /** The throttles' configuration (see {@code securecom.login.*} in the README). */
  public record Settings(
      int freeFailures,
      Duration baseDelay,
      Duration maxDelay,
      Duration window,
      int perUser,
      int perAddress,
      int perAddressInFlight,
      int perAddressQueued,
      int queuedTotal,
      Duration knownFor,
      int maxKnown) {}

  /**
   * Starts an attempt of {@code username} from {@code address}, counted as a failure until {@link
   * Attempt#succeeded}. Call {@link Attempt#close} when it is over, whatever the outcome.
   *
   * @throws RateLimitedException if the attempt must wait; nothing was counted then
   */
  public Attempt begin(String username, String address) {
    String user =
        username.length() > MAX_KEY_LENGTH ? username.substring(0, MAX_KEY_LENGTH) : username;
    String pairKey = user + '\n' + address;
    boolean trusted = isKnown(pairKey);
    long now = clock.millis();
    Pair pair = pairs.computeIfAbsent(pairKey, k -> new Pair());
    synchronized (pair) {
      if (now < pair.blockedUntil) {
        Duration wait = Duration.ofMillis(pair.blockedUntil - now);
        throw new RateLimitedException(
            trusted ? wait : max(wait, max(perUser.waitTime(user), perAddress.waitTime(address))));
      }
    }
    if (!trusted) {
      enterSlot(address);
    }
    try {
      now = clock.millis();
      synchronized (pair) {
        if (now < pair.blockedUntil) {
          throw new RateLimitedException(Duration.ofMillis(pair.blockedUntil - now));
        }
        if (!trusted) {
          chargeUnknown(user, address);
        }
        pair.failures++;
        pair.lastAttempt = now;
        if (pair.failures >= freeFailures) {
          pair.blockedUntil = now + delayAfter(pair.failures - freeFailures + 1).toMillis();
        }
      }
    } catch (RuntimeException e) {
      if (!trusted) {
        release(address);
      }
      throw e;
    }
    return new Attempt(user, address, pairKey, trusted);
  }

  private void chargeUnknown(String user, String address) {
    Duration wait = max(perUser.waitTime(user), perAddress.waitTime(address));
    if (!wait.isZero()) {
      throw new RateLimitedException(wait);
    }
    if (!perUser.tryTake(user)) {
      throw new RateLimitedException(perUser.waitTime(user));
    }
    if (!perAddress.tryTake(address)) {
      perUser.giveBack(user);
      throw new RateLimitedException(perAddress.waitTime(address));
    }
  }

  /**
   * Takes one of the address's slots for unknown attempts, waiting in its queue; 429 if the queue
   * is full.
   */
  private void enterSlot(String address) {
    synchronized (slots) {
      int[] slot = slots.computeIfAbsent(address, k -> new int[2]); // {running, waiting}
      if (slot[0] >= perAddressInFlight
          && (slot[1] >= perAddressQueued || waiting >= queuedTotal)) {
        if (slot[0] == 0 && slot[1] == 0) {
          slots.remove(address);
        }
        throw new RateLimitedException(Duration.ofSeconds(1));
      }
      boolean interrupted = false;
      slot[1]++;
      waiting++;
      try {
        while (slot[0] >= perAddressInFlight) {
          try {
            slots.wait();
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      } finally {
        slot[1]--;
        waiting--;
      }
      slot[0]++;
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The wait after the {@code n}th failure from the last free one on: base * 2^(n-1), at most the
   * maximum.
   */
  Duration delayAfter(int n) {
    int shift = Math.min(n - 1, 30);
    long millis = baseDelay.toMillis() << shift;
    return millis <= 0 || millis > maxDelay.toMillis() ? maxDelay : Duration.ofMillis(millis);
  }

  /**
   * {@code username} proved its password from {@code address} (a registration): the address is
   * known.
   */
  public void remember(String username, String address) {
    String user =
        username.length() > MAX_KEY_LENGTH ? username.substring(0, MAX_KEY_LENGTH) : username;
    synchronized (known) {
      known.put(user + '\n' + address, clock.millis());
      while (known.size() > maxKnown) {
        known.remove(known.keySet().iterator().next());
      }
    }
  }

  private boolean isKnown(String pairKey) {
    synchronized (known) {
      Long since = known.get(pairKey);
      return since != null && clock.millis() - since < knownFor.toMillis();
    }
  }

  private void release(String address) {
    synchronized (slots) {
      int[] slot = slots.get(address);
      if (slot != null) {
        slot[0]--;
        if (slot[0] == 0 && slot[1] == 0) {
          slots.remove(address);
        }
        slots.notifyAll();
      }
    }
  }

  /**
   * Forgets pairs whose failures and wait are over, refilled buckets and known addresses past their
   * time.
   */
  public void evictIdle() {
    long now = clock.millis();
    pairs
        .values()
        .removeIf(
            p -> {
              synchronized (p) {
                return now >= p.blockedUntil && now - p.lastAttempt >= forgetAfter.toMillis();
              }
            });
    perUser.evictIdle();
    perAddress.evictIdle();
    synchronized (known) {
      known.values().removeIf(since -> now - since >= knownFor.toMillis());
    }
  }

  /** Unknown attempts from {@code address} waiting for a slot. */
  int waitingAt(String address) {
    synchronized (slots) {
      int[] slot = slots.get(address);
      return slot == null ? 0 : slot[1];
    }
  }

  int trackedPairs() {
    return pairs.size();
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static final class Pair {
    int failures;
    long blockedUntil;
    long lastAttempt;
  }

  /** One login attempt in progress. */
  public final class Attempt implements AutoCloseable {
    private final String user;
    private final String address;
    private final String pairKey;
    private final boolean trusted;
    private boolean closed;

    private Attempt(String user, String address, String pairKey, boolean trusted) {
      this.user = user;
      this.address = address;
      this.pairKey = pairKey;
      this.trusted = trusted;
    }

    /** True if the address is known for this user: its hashing goes before unknown attempts'. */
    public boolean trusted() {
      return trusted;
    }

    /** The password was right: the pair's failures are forgiven and the address becomes known. */
    public void succeeded() {
      pairs.remove(pairKey);
      if (!trusted) {
        perUser.giveBack(user);
        perAddress.giveBack(address);
      }
      remember(user, address);
    }

    @Override
    public void close() {
      if (!closed && !trusted) {
        release(address);
      }
      closed = true;
    }
  }
}
