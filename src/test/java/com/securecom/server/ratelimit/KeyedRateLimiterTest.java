package com.securecom.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.server.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeyedRateLimiterTest {
  private final MutableClock clock = MutableClock.atSomeFixedTime();

  /** Three per minute: one token every twenty seconds. */
  private final KeyedRateLimiter limiter = new KeyedRateLimiter(3, Duration.ofMinutes(1), clock);

  @Test
  void unseenKey_mayGoAhead_andIsNotTracked() {
    assertThat(limiter.waitTime("alice")).isZero();
    assertThat(limiter.trackedKeys()).as("asking must not create a bucket").isZero();
  }

  @Test
  void key_mayGoAheadCapacityTimes_thenWaitsForOneToken() {
    limiter.take("alice");
    limiter.take("alice");
    assertThat(limiter.waitTime("alice")).isZero();

    limiter.take("alice");

    assertThat(limiter.waitTime("alice")).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void waitTime_shrinksAsTimePasses_andEndsAtZero() {
    exhaust("alice");

    clock.advance(Duration.ofSeconds(5));
    assertThat(limiter.waitTime("alice")).isEqualTo(Duration.ofSeconds(15));

    clock.advance(Duration.ofSeconds(15));
    assertThat(limiter.waitTime("alice")).isZero();
  }

  @Test
  void waitTime_takesNothing() {
    for (int i = 0; i < 10; i++) {
      limiter.waitTime("alice");
    }
    limiter.take("alice");
    limiter.take("alice");

    assertThat(limiter.waitTime("alice")).isZero();
  }

  @Test
  void keys_areThrottledIndependently() {
    exhaust("alice");

    assertThat(limiter.waitTime("alice")).isPositive();
    assertThat(limiter.waitTime("bob")).isZero();
    assertThat(limiter.tryTake("bob")).isTrue();
  }

  @Test
  void tryTake_refusesOnceTheKeyIsOverItsRate() {
    assertThat(limiter.tryTake("alice")).isTrue();
    assertThat(limiter.tryTake("alice")).isTrue();
    assertThat(limiter.tryTake("alice")).isTrue();
    assertThat(limiter.tryTake("alice")).isFalse();

    clock.advance(Duration.ofSeconds(20));

    assertThat(limiter.tryTake("alice")).isTrue();
    assertThat(limiter.tryTake("alice")).isFalse();
  }

  @Test
  void take_beyondTheCapacity_doesNotLengthenTheWait() {
    exhaust("alice");
    for (int i = 0; i < 50; i++) {
      limiter.take("alice");
    }

    assertThat(limiter.waitTime("alice")).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void evictIdle_forgetsRefilledBuckets_andKeepsThrottledOnes() {
    limiter.take("refilled");
    clock.advance(Duration.ofSeconds(30));
    exhaust("throttled");
    limiter.take("partly-used");

    clock.advance(Duration.ofSeconds(1));
    limiter.evictIdle();

    assertThat(limiter.trackedKeys()).isEqualTo(2);
    assertThat(limiter.waitTime("throttled")).isEqualTo(Duration.ofSeconds(19));
    assertThat(limiter.tryTake("partly-used")).isTrue();
    assertThat(limiter.tryTake("partly-used")).isTrue();
    assertThat(limiter.tryTake("partly-used")).as("its used token is still remembered").isFalse();
  }

  @Test
  void evictIdle_onceEverythingRefilled_forgetsEveryKey_andChangesNoAnswer() {
    exhaust("alice");
    exhaust("bob");

    clock.advance(Duration.ofMinutes(1));
    limiter.evictIdle();

    assertThat(limiter.trackedKeys()).isZero();
    assertThat(limiter.waitTime("alice")).isZero();
    exhaust("alice");
    assertThat(limiter.waitTime("alice")).isEqualTo(Duration.ofSeconds(20));
  }

  private void exhaust(String key) {
    for (int i = 0; i < 3; i++) {
      limiter.take(key);
    }
  }
}
