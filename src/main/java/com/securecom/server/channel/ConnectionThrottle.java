package com.securecom.server.channel;

import com.securecom.server.ratelimit.KeyedRateLimiter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * New channel connections per client address. Each connection is one authentication attempt, and
 * its handshake (X25519 and Ed25519) and its {@code auth} (a token lookup in the database) are the
 * server's work: so every connection takes a token of its address before the server does any of it,
 * and one over {@code securecom.channel.auth.per-address} per {@code securecom.channel.auth.window}
 * (60 a minute, refilled continuously) is closed with 4429 instead, before its handshake. However
 * many connections an address opens, the server does at most that many handshakes and token lookups
 * for it, and tokens guessed from one address are as many.
 *
 * <p>Per node and in memory, like the other throttles; buckets that refilled are forgotten by
 * {@link #evictIdle()} (housekeeping, every minute), so memory follows the addresses seen within a
 * window.
 */
@ApplicationScoped
public class ConnectionThrottle {
  /** The key of connections whose address the container did not give: limited together. */
  static final String UNKNOWN_ADDRESS = "unknown";

  private KeyedRateLimiter perAddress;

  protected ConnectionThrottle() {}

  @Inject
  public ConnectionThrottle(
      @ConfigProperty(name = "securecom.channel.auth.per-address", defaultValue = "60")
          int perAddress,
      @ConfigProperty(name = "securecom.channel.auth.window", defaultValue = "PT1M")
          Duration window,
      Clock clock) {
    if (perAddress < 1 || window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException(
          "securecom.channel.auth.per-address and .window must be positive");
    }
    this.perAddress = new KeyedRateLimiter(perAddress, window, clock);
  }

  /**
   * Takes one attempt of {@code address} (null: an address the container did not give); false if
   * the address is over its rate, and then the connection must be closed without a handshake.
   */
  public boolean tryConnect(String address) {
    return perAddress.tryTake(address == null ? UNKNOWN_ADDRESS : address);
  }

  /** Housekeeping: forgets refilled buckets. */
  public void evictIdle() {
    perAddress.evictIdle();
  }
}
