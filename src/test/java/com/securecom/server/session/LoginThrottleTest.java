package com.securecom.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.securecom.server.ratelimit.RateLimitedException;
import com.securecom.server.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private static final Duration WINDOW = Duration.ofMinutes(15);
  private final MutableClock clock = MutableClock.atSomeFixedTime();

  private LoginThrottle throttle(int freeFailures, int perUser, int perAddress, int inFlight) {
    return new LoginThrottle(
        new LoginThrottle.Settings(
            freeFailures,
            Duration.ofSeconds(1),
            Duration.ofMinutes(15),
            WINDOW,
            perUser,
            perAddress,
            inFlight,
            1,
            64,
            Duration.ofDays(30),
            100),
        clock);
  }

  private static void fail(LoginThrottle throttle, String user, String address) {
    throttle.begin(user, address).close();
  }

  private static Duration refusal(LoginThrottle throttle, String user, String address) {
    Throwable refused = catchThrowable(() -> throttle.begin(user, address).close());
    assertThat(refused).isInstanceOf(RateLimitedException.class);
    return ((RateLimitedException) refused).retryAfter();
  }

  @Test
  void failuresBeyondTheFreeOnes_backOffExponentially_withoutAHardLock() {
    LoginThrottle throttle = throttle(3, 1000, 1000, 1);
    for (int i = 0; i < 3; i++) {
      fail(throttle, "alice", "192.0.2.1"); // the third sets a wait of 1 s
    }
    assertThat(refusal(throttle, "alice", "192.0.2.1")).isEqualTo(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    fail(throttle, "alice", "192.0.2.1");
    assertThat(refusal(throttle, "alice", "192.0.2.1")).isEqualTo(Duration.ofSeconds(2));
    clock.advance(Duration.ofSeconds(2));
    fail(throttle, "alice", "192.0.2.1");
    assertThat(refusal(throttle, "alice", "192.0.2.1")).isEqualTo(Duration.ofSeconds(4));
    assertThat(throttle.delayAfter(40)).as("capped").isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void onePairsBackoff_neverDelaysTheSameUserFromAnotherAddress() {
    LoginThrottle throttle = throttle(2, 1000, 1000, 1);
    for (int i = 0; i < 6; i++) {
      catchThrowable(() -> fail(throttle, "alice", "203.0.113.66"));
    }
    assertThat(refusal(throttle, "alice", "203.0.113.66")).isPositive();

    try (LoginThrottle.Attempt attempt = throttle.begin("alice", "192.0.2.1")) {
      attempt.succeeded();
    }
  }

  @Test
  void success_forgivesThePairsFailures() {
    LoginThrottle throttle = throttle(3, 1000, 1000, 1);
    fail(throttle, "alice", "192.0.2.1");
    fail(throttle, "alice", "192.0.2.1");
    try (LoginThrottle.Attempt attempt = throttle.begin("alice", "192.0.2.1")) {
      attempt.succeeded();
    }
    fail(throttle, "alice", "192.0.2.1");
    fail(throttle, "alice", "192.0.2.1");
    fail(throttle, "alice", "192.0.2.1");
    assertThat(refusal(throttle, "alice", "192.0.2.1"))
        .as("counted from the success on")
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void knownAddress_skipsTheUnknownAddressLimits_andHashesFirst() {
    LoginThrottle throttle = throttle(100, 2, 1000, 1);
    throttle.remember("alice", "192.0.2.1");
    fail(throttle, "alice", "203.0.113.1");
    fail(throttle, "alice", "203.0.113.2");
    assertThat(refusal(throttle, "alice", "203.0.113.3"))
        .as("per user, unknown addresses")
        .isPositive();

    try (LoginThrottle.Attempt attempt = throttle.begin("alice", "192.0.2.1")) {
      assertThat(attempt.trusted()).isTrue();
    }
    try (LoginThrottle.Attempt attempt = throttle.begin("bob", "192.0.2.1")) {
      assertThat(attempt.trusted()).as("known for alice only").isFalse();
    }
  }

  @Test
  void unknownAttemptsFromOneAddress_hashOneAtATime_oneWaits_theRestAreRefusedAtOnce()
      throws Exception {
    LoginThrottle throttle = throttle(100, 1000, 1000, 1);
    LoginThrottle.Attempt first = throttle.begin("alice", "203.0.113.1");
    java.util.concurrent.CompletableFuture<LoginThrottle.Attempt> queued =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> throttle.begin("carol", "203.0.113.1"));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (throttle.waitingAt("203.0.113.1") == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }

    assertThat(refusal(throttle, "bob", "203.0.113.1")).isEqualTo(Duration.ofSeconds(1));
    assertThat(queued).isNotDone();
    throttle.begin("bob", "203.0.113.2").close();
    first.close();
    queued.get(10, java.util.concurrent.TimeUnit.SECONDS).close();
    throttle.begin("bob", "203.0.113.1").close();
  }

  @Test
  void waitingUnknownAttempts_areCappedInAll_soTheyCannotHoldEveryRequestThread() throws Exception {
    LoginThrottle throttle =
        new LoginThrottle(
            new LoginThrottle.Settings(
                100,
                Duration.ofSeconds(1),
                Duration.ofMinutes(15),
                WINDOW,
                1000,
                1000,
                1,
                4,
                1,
                Duration.ofDays(30),
                100),
            clock);
    LoginThrottle.Attempt a = throttle.begin("alice", "203.0.113.1");
    LoginThrottle.Attempt b = throttle.begin("bob", "203.0.113.2");
    java.util.concurrent.CompletableFuture<LoginThrottle.Attempt> queued =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> throttle.begin("carol", "203.0.113.1"));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (throttle.waitingAt("203.0.113.1") == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }

    assertThat(refusal(throttle, "dave", "203.0.113.2"))
        .as("the one queue place in all is taken")
        .isEqualTo(Duration.ofSeconds(1));
    a.close();
    queued.get(10, java.util.concurrent.TimeUnit.SECONDS).close();
    b.close();
  }

  @Test
  void failuresFromOneUnknownAddress_acrossUsers_areLimited() {
    LoginThrottle throttle = throttle(100, 1000, 3, 1);
    for (int i = 0; i < 3; i++) {
      fail(throttle, "user" + i, "203.0.113.1");
    }
    assertThat(refusal(throttle, "alice", "203.0.113.1")).isPositive();
  }

  @Test
  void idleEntries_areForgotten() {
    LoginThrottle throttle = throttle(1, 1000, 1000, 1);
    for (int i = 0; i < 50; i++) {
      fail(throttle, "user" + i, "203.0.113.1");
    }
    assertThat(throttle.trackedPairs()).isEqualTo(50);
    clock.advance(WINDOW);
    throttle.evictIdle();
    assertThat(throttle.trackedPairs()).isZero();
    org.assertj.core.api.Assertions.assertThatCode(
            () -> throttle.begin("x".repeat(10_000), "203.0.113.1").close())
        .doesNotThrowAnyException();
  }
}
