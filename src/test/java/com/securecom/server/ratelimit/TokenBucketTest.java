package com.securecom.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Time is passed in as milliseconds, so these tests move it by hand. */
class TokenBucketTest {
  private static final long T0 = 1_000_000L;

  /** Five tokens per ten seconds: one token every two seconds. */
  private static final Duration PERIOD = Duration.ofSeconds(10);

  private final TokenBucket bucket = new TokenBucket(5, PERIOD, T0);

  @Test
  void newBucket_isFull_andGivesExactlyItsCapacity() {
    assertThat(bucket.isFull(T0)).isTrue();
    assertThat(bucket.waitTime(T0)).isZero();

    for (int i = 0; i < 5; i++) {
      assertThat(bucket.tryTake(T0)).as("token %d", i + 1).isTrue();
    }
    assertThat(bucket.tryTake(T0)).isFalse();
  }

  @Test
  void emptyBucket_waitsForOneTokensWorthOfRefill() {
    drain(T0);

    assertThat(bucket.waitTime(T0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(bucket.waitTime(T0 + 500)).isEqualTo(Duration.ofMillis(1500));
    assertThat(bucket.waitTime(T0 + 1999)).isEqualTo(Duration.ofMillis(1));
    assertThat(bucket.waitTime(T0 + 2000)).isZero();
  }

  @Test
  void refill_isContinuous_andGivesOneTokenPerFifthOfThePeriod() {
    drain(T0);

    assertThat(bucket.tryTake(T0 + 1999)).isFalse();
    assertThat(bucket.tryTake(T0 + 2000)).isTrue();
    assertThat(bucket.tryTake(T0 + 2000)).isFalse();
    assertThat(bucket.tryTake(T0 + 4000)).isTrue();
  }

  @Test
  void refill_stopsAtCapacity() {
    drain(T0);

    long muchLater = T0 + Duration.ofDays(1).toMillis();
    assertThat(bucket.isFull(muchLater)).isTrue();
    for (int i = 0; i < 5; i++) {
      assertThat(bucket.tryTake(muchLater)).isTrue();
    }
    assertThat(bucket.tryTake(muchLater)).isFalse();
  }

  @Test
  void take_onAnEmptyBucket_neverGoesIntoDebt() {
    drain(T0);

    for (int i = 0; i < 100; i++) {
      bucket.take(T0);
    }

    assertThat(bucket.waitTime(T0))
        .as("100 extra takes cost nothing extra")
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(bucket.tryTake(T0 + 2000)).isTrue();
  }

  @Test
  void take_spendsATokenLikeTryTake() {
    for (int i = 0; i < 5; i++) {
      bucket.take(T0);
    }

    assertThat(bucket.tryTake(T0)).isFalse();
    assertThat(bucket.isFull(T0)).isFalse();
  }

  @Test
  void clockGoingBackwards_addsNoTokens() {
    drain(T0);

    assertThat(bucket.tryTake(T0 - 60_000)).isFalse();
    assertThat(bucket.waitTime(T0)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void partlyUsedBucket_isFullAgainOnceRefilled() {
    bucket.tryTake(T0);

    assertThat(bucket.isFull(T0)).isFalse();
    assertThat(bucket.isFull(T0 + 1999)).isFalse();
    assertThat(bucket.isFull(T0 + 2000)).isTrue();
  }

  @Test
  void concurrentTakers_shareExactlyTheCapacity() throws Exception {
    TokenBucket shared = new TokenBucket(1000, PERIOD, T0);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Integer>> takers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        takers.add(
            () -> {
              int taken = 0;
              for (int i = 0; i < 500; i++) {
                taken += shared.tryTake(T0) ? 1 : 0;
              }
              return taken;
            });
      }
      int total = 0;
      for (Future<Integer> taken : pool.invokeAll(takers)) {
        total += taken.get();
      }
      assertThat(total).isEqualTo(1000);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void bucketWithoutCapacityOrPeriod_isRefused() {
    assertThatThrownBy(() -> new TokenBucket(0, PERIOD, T0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBucket(5, Duration.ZERO, T0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBucket(5, Duration.ofSeconds(-1), T0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private void drain(long now) {
    while (bucket.tryTake(now)) {
      // empty it
    }
  }
}
