package com.securecom.server.link;

import com.securecom.server.device.DeviceAddress;
import com.securecom.server.ratelimit.KeyedRateLimiter;
import com.securecom.server.ratelimit.RateLimitedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The mailboxes of linking: opened by a device without an account, filled once by a logged-in
 * device, emptied (and deleted) once by whoever holds the id.
 *
 * <p>Guarantees: a mailbox holds at most one message, the first writer's, and gives it to exactly
 * one taker; it is gone {@code securecom.links.ttl} after it was opened, whatever happened. The
 * server stores the message as bytes and never reads it. Every call is rate-limited before it
 * touches the database, and how many mailboxes may be open at once is bounded, so that neither
 * anonymous callers nor one account can make the server hold more than {@code max-open} mailboxes
 * of at most {@link #MAX_MESSAGE_BYTES} each (on one node also when opens race at the cap). The id
 * is a capability (a hash of the link code's secret): it is never logged, and stored only as its
 * SHA-256 ({@link #key}).
 */
@ApplicationScoped
public class LinkMailboxes {
  /**
   * The largest message: 180 KiB, so that its base64 in a JSON body stays under the API's body
   * limit of 262,144 bytes.
   */
  public static final int MAX_MESSAGE_BYTES = 184_320;

  /** A mailbox id's bytes (the hex in the API has twice as many characters). */
  public static final int ID_BYTES = 16;

  private MailboxRepository mailboxes;
  private Clock clock;
  private Duration ttl;
  private int maxOpen;
  private KeyedRateLimiter opensPerAddress;
  private KeyedRateLimiter takesPerAddress;
  private KeyedRateLimiter putsPerAccount;

  /**
   * Opens of this node between their count and their commit. Each open counts those under way when
   * it began as open (they may not be committed when it counts), so that opens racing at the cap
   * cannot all pass the same count: with the committed ones, at most {@code max-open} pass on one
   * node (an open that finished is committed, so a later count sees it). Nodes of a cluster do not
   * see each other's: opens racing on other nodes at the cap can add one each.
   */
  private final AtomicInteger opening = new AtomicInteger();

  protected LinkMailboxes() {}

  /** The settings, from MicroProfile Config; defaults in the README. */
  public record Limits(
      Duration ttl, int opensPerAddressPerHour, int maxOpen, int putsPerAccountPerDay) {}

  @Inject
  public LinkMailboxes(
      MailboxRepository mailboxes,
      Clock clock,
      @ConfigProperty(name = "securecom.links.ttl", defaultValue = "PT10M") Duration ttl,
      @ConfigProperty(name = "securecom.links.per-address", defaultValue = "10") int perAddress,
      @ConfigProperty(name = "securecom.links.max-open", defaultValue = "10000") int maxOpen,
      @ConfigProperty(name = "securecom.links.puts-per-day", defaultValue = "10") int putsPerDay) {
    this(mailboxes, clock, new Limits(ttl, perAddress, maxOpen, putsPerDay));
  }

  public LinkMailboxes(MailboxRepository mailboxes, Clock clock, Limits limits) {
    if (limits.ttl().isNegative() || limits.ttl().isZero()) {
      throw new IllegalArgumentException("securecom.links.ttl must be positive");
    }
    this.mailboxes = mailboxes;
    this.clock = clock;
    this.ttl = limits.ttl();
    this.maxOpen = limits.maxOpen();
    this.opensPerAddress =
        new KeyedRateLimiter(limits.opensPerAddressPerHour(), Duration.ofHours(1), clock);
    this.takesPerAddress = new KeyedRateLimiter(120, Duration.ofSeconds(120), clock);
    this.putsPerAccount =
        new KeyedRateLimiter(limits.putsPerAccountPerDay(), Duration.ofDays(1), clock);
  }

  /**
   * Opens the mailbox {@code id} for a new device at {@code clientAddress}; returns when it expires
   * (milliseconds).
   *
   * @throws RateLimitedException over {@code securecom.links.per-address}, or while {@code
   *     securecom.links.max-open} mailboxes are open (retry in a minute)
   * @throws LinkConflictException if a mailbox with this id exists
   */
  public long open(byte[] id, String clientAddress) {
    if (!opensPerAddress.tryTake(clientAddress)) {
      throw new RateLimitedException(opensPerAddress.waitTime(clientAddress));
    }
    long now = clock.millis();
    int racing = opening.getAndIncrement();
    try {
      if (mailboxes.countOpen(now) + racing >= maxOpen) {
        throw new RateLimitedException(Duration.ofMinutes(1));
      }
      long expiresAt = now + ttl.toMillis();
      if (!mailboxes.open(key(id), now, expiresAt)) {
        throw new LinkConflictException();
      }
      return expiresAt;
    } finally {
      opening.decrementAndGet();
    }
  }

  /**
   * Puts {@code message} (1 to {@link #MAX_MESSAGE_BYTES} bytes, checked by the caller) in the
   * mailbox {@code id} for the device {@code caller}.
   *
   * @throws RateLimitedException over {@code securecom.links.puts-per-day} for the account
   * @throws UnknownLinkException if no such mailbox is open
   * @throws LinkUsedException if it holds a message already
   */
  public void put(DeviceAddress caller, byte[] id, byte[] message) {
    String account = caller.username();
    if (!putsPerAccount.tryTake(account)) {
      throw new RateLimitedException(putsPerAccount.waitTime(account));
    }
    long now = clock.millis();
    byte[] key = key(id);
    if (mailboxes.fill(key, message, now)) {
      return;
    }
    if (mailboxes.state(key, now) == MailboxRepository.State.FULL) {
      throw new LinkUsedException();
    }
    throw new UnknownLinkException();
  }

  /**
   * Takes the message of mailbox {@code id}, deleting the mailbox; empty while it has none.
   *
   * @throws RateLimitedException over 120 calls per address, refilled at one a second
   * @throws UnknownLinkException if no such mailbox is open (or another caller took its message)
   */
  public Optional<byte[]> take(byte[] id, String clientAddress) {
    if (!takesPerAddress.tryTake(clientAddress)) {
      throw new RateLimitedException(takesPerAddress.waitTime(clientAddress));
    }
    long now = clock.millis();
    byte[] key = key(id);
    Optional<byte[]> message = mailboxes.take(key, now);
    if (message.isPresent()) {
      return message;
    }
    // Empty, or filled by a put that committed after the take looked: poll again (204). Only a
    // mailbox that is not there (never opened, expired, or taken by a racing poll) is unknown.
    if (mailboxes.state(key, now) != MailboxRepository.State.NONE) {
      return Optional.empty();
    }
    throw new UnknownLinkException();
  }

  /**
   * What a mailbox is stored under: the SHA-256 of its id, so that the database (a backup, a
   * replica, a leak) does not hold the capability that opens, fills and empties it.
   */
  static byte[] key(byte[] id) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(id);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Housekeeping: deletes expired mailboxes and forgets refilled buckets; returns how many. */
  public int purgeExpired() {
    opensPerAddress.evictIdle();
    takesPerAddress.evictIdle();
    putsPerAccount.evictIdle();
    return mailboxes.deleteExpired(clock.millis());
  }
}
