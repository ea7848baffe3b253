package com.securecom.server.keys;

import com.securecom.server.ratelimit.KeyedRateLimiter;
import com.securecom.server.ratelimit.RateLimitedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Limits on prekey bundle fetches, so that no account can empty another's one-time prekey pool.
 *
 * <ul>
 *   <li>Per requester: at most {@code securecom.keys.bundles-per-requester} fetches per {@code
 *       securecom.keys.bundles-window}; beyond that 429 (checked before the target is even looked
 *       up, so bundle fetches are no unlimited test of which usernames exist either).
 *   <li>Per target: at most {@code securecom.keys.one-time-prekeys-per-target} of a user's one-time
 *       prekeys are handed out per window, whoever asks; beyond that bundles are still served,
 *       without a one-time prekey, exactly as when the pool is empty. A 429 here would let anyone
 *       stop everyone else from starting a session with the target; serving the bundle keeps
 *       sessions possible and the pool intact.
 *   <li>Identity lookups ({@code GET /api/keys/{username}/identity}) per requester: at most {@code
 *       securecom.keys.identity-lookups-per-requester} per window, beyond that 429, checked before
 *       the target is looked up (the 404 for an unknown name is no unlimited test of which
 *       usernames exist).
 * </ul>
 */
@ApplicationScoped
public class BundleLimits {
  private KeyedRateLimiter perRequester;
  private KeyedRateLimiter perTarget;
  private KeyedRateLimiter identityLookups;

  protected BundleLimits() {}

  @Inject
  public BundleLimits(
      Clock clock,
      @ConfigProperty(name = "securecom.keys.bundles-per-requester", defaultValue = "60")
          int perRequester,
      @ConfigProperty(name = "securecom.keys.one-time-prekeys-per-target", defaultValue = "20")
          int perTarget,
      @ConfigProperty(name = "securecom.keys.identity-lookups-per-requester", defaultValue = "600")
          int identityLookups,
      @ConfigProperty(name = "securecom.keys.bundles-window", defaultValue = "PT1H")
          Duration window) {
    this.perRequester = new KeyedRateLimiter(perRequester, window, clock);
    this.perTarget = new KeyedRateLimiter(perTarget, window, clock);
    this.identityLookups = new KeyedRateLimiter(identityLookups, window, clock);
  }

  /**
   * Charges one fetch to {@code requester}; a {@link RateLimitedException} if it is over its limit.
   */
  public void chargeRequester(String requester) {
    if (!perRequester.tryTake(requester)) {
      throw new RateLimitedException(perRequester.waitTime(requester));
    }
  }

  /**
   * Charges one identity lookup to {@code requester}; a {@link RateLimitedException} if it is over
   * its limit.
   */
  public void chargeIdentityLookup(String requester) {
    if (!identityLookups.tryTake(requester)) {
      throw new RateLimitedException(identityLookups.waitTime(requester));
    }
  }

  /**
   * True if one more of {@code target}'s one-time prekeys may be handed out now (and counts it).
   */
  public boolean takeOneTimePreKeyOf(String target) {
    return perTarget.tryTake(target);
  }

  /** Returns the count of a hand-out that did not happen (the pool was empty). */
  public void noOneTimePreKeyOf(String target) {
    perTarget.giveBack(target);
  }

  /** Housekeeping: forgets refilled buckets. */
  public void evictIdle() {
    perRequester.evictIdle();
    perTarget.evictIdle();
    identityLookups.evictIdle();
  }
}
