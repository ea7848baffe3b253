package com.securecom.server.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.server.ratelimit.RateLimitedException;
import com.securecom.server.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Issue 10, finding 2: 15 bundle fetches emptied a 10-key pool, no 429. */
class BundleLimitsTest {
  private final MutableClock clock = MutableClock.atSomeFixedTime();
  private final BundleLimits limits = new BundleLimits(clock, 5, 3, 4, Duration.ofHours(1));

  @Test
  void requester_isLimited_withARetryAfter() {
    for (int i = 0; i < 5; i++) {
      limits.chargeRequester("mallory");
    }
    assertThatThrownBy(() -> limits.chargeRequester("mallory"))
        .isInstanceOfSatisfying(
            RateLimitedException.class, e -> assertThat(e.retryAfter()).isPositive());
    limits.chargeRequester("alice");
  }

  /** Issue 10: identity lookups were an unlimited test of which usernames exist. */
  @Test
  void identityLookups_areLimitedPerRequester_apartFromBundleFetches() {
    for (int i = 0; i < 4; i++) {
      limits.chargeIdentityLookup("mallory");
    }
    assertThatThrownBy(() -> limits.chargeIdentityLookup("mallory"))
        .isInstanceOfSatisfying(
            RateLimitedException.class, e -> assertThat(e.retryAfter()).isPositive());
    limits.chargeRequester("mallory");
    limits.chargeIdentityLookup("alice");
    clock.advance(Duration.ofMinutes(16)); // a quarter of the window gives back one of four
    limits.chargeIdentityLookup("mallory");
  }

  @Test
  void oneTimePreKeysPerTarget_areBudgeted_whoeverAsks() {
    assertThat(limits.takeOneTimePreKeyOf("bob")).isTrue();
    assertThat(limits.takeOneTimePreKeyOf("bob")).isTrue();
    assertThat(limits.takeOneTimePreKeyOf("bob")).isTrue();
    assertThat(limits.takeOneTimePreKeyOf("bob")).isFalse();
    limits.noOneTimePreKeyOf("bob");
    assertThat(limits.takeOneTimePreKeyOf("bob"))
        .as("an empty pool's hand-out was given back")
        .isTrue();
    clock.advance(Duration.ofMinutes(20));
    assertThat(limits.takeOneTimePreKeyOf("bob")).isTrue();
  }
}
