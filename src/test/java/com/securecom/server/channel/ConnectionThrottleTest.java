package com.securecom.server.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.server.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * New channel connections per client address: every connection takes one attempt before its
 * handshake, so an address that opens connection after connection gets at most the limit's
 * handshakes and token lookups.
 */
class ConnectionThrottleTest {
  private final MutableClock clock = MutableClock.atSomeFixedTime();

  /** Three a minute: one more every twenty seconds. */
  private final ConnectionThrottle throttle =
      new ConnectionThrottle(3, Duration.ofMinutes(1), clock);

  @Test
  void anAddress_connectsUpToTheLimit_thenIsRefused_whateverItsConnectionsDid() {
    assertThat(throttle.tryConnect("192.0.2.7")).isTrue();
    assertThat(throttle.tryConnect("192.0.2.7")).isTrue();
    assertThat(throttle.tryConnect("192.0.2.7")).isTrue();

    assertThat(throttle.tryConnect("192.0.2.7")).isFalse();
    assertThat(throttle.tryConnect("192.0.2.7")).as("a refusal costs nothing more").isFalse();
  }

  @Test
  void otherAddresses_areNotAffected() {
    exhaust("192.0.2.7");

    assertThat(throttle.tryConnect("203.0.113.9")).isTrue();
    assertThat(throttle.tryConnect("2001:db8:1:2:0:0:0:0/64")).isTrue();
  }

  @Test
  void attemptsComeBack_oneEveryWindowOverTheLimit() {
    exhaust("192.0.2.7");

    clock.advance(Duration.ofSeconds(19));
    assertThat(throttle.tryConnect("192.0.2.7")).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(throttle.tryConnect("192.0.2.7")).isTrue();
    assertThat(throttle.tryConnect("192.0.2.7")).isFalse();

    clock.advance(Duration.ofMinutes(1));
    exhaust("192.0.2.7");
  }

  @Test
  void connectionsWithoutAnAddress_areLimitedTogether_notLetThrough() {
    exhaust(null);

    assertThat(throttle.tryConnect(null)).isFalse();
    assertThat(throttle.tryConnect("192.0.2.7")).isTrue();
  }

  @Test
  void evictingIdleBuckets_forgetsNothingThatCounts() {
    exhaust("192.0.2.7");
    throttle.tryConnect("203.0.113.9");

    throttle.evictIdle();
    assertThat(throttle.tryConnect("192.0.2.7")).as("an empty bucket is kept").isFalse();

    clock.advance(Duration.ofMinutes(1));
    throttle.evictIdle();
    exhaust("192.0.2.7");
  }

  @Test
  void aLimitOrWindowThatIsNotPositive_isRefusedAtStart() {
    assertThatThrownBy(() -> new ConnectionThrottle(0, Duration.ofMinutes(1), clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("securecom.channel.auth");
    assertThatThrownBy(() -> new ConnectionThrottle(60, Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Takes the address's three attempts, each allowed, and sees the fourth refused. */
  private void exhaust(String address) {
    for (int i = 0; i < 3; i++) {
      assertThat(throttle.tryConnect(address)).as("attempt %d", i + 1).isTrue();
    }
    assertThat(throttle.tryConnect(address)).isFalse();
  }
}
