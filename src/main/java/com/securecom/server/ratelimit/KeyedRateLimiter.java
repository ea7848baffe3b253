package com.securecom.server.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link TokenBucket} per key (a username, an address). Buckets that have refilled are
 * forgotten by {@link #evictIdle()}, so memory follows recent activity, not the number of keys ever
 * seen.
 */
public final class KeyedRateLimiter {
  private final int capacity;
  private final Duration period;
  private final Clock clock;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  public KeyedRateLimiter(int capacity, Duration period, Clock clock) {
    this.capacity = capacity;
    this.period = period;
    this.clock = clock;
  }

  /** Zero if {@code key} may go ahead now, else how long it must wait. Takes nothing. */
  public Duration waitTime(String key) {
    TokenBucket bucket = buckets.get(key);
    return bucket == null ? Duration.ZERO : bucket.waitTime(clock.millis());
  }

  /** Takes one token for {@code key} (a failure, an attempt). */
  public void take(String key) {
    long now = clock.millis();
    buckets.computeIfAbsent(key, k -> new TokenBucket(capacity, period, now)).take(now);
  }

  /** Takes one token if there is one; false if {@code key} is over its rate. */
  public boolean tryTake(String key) {
    long now = clock.millis();
    return buckets.computeIfAbsent(key, k -> new TokenBucket(capacity, period, now)).tryTake(now);
  }

  /** Returns a token taken by {@link #tryTake} for an attempt that turned out not to count. */
  public void giveBack(String key) {
    TokenBucket bucket = buckets.get(key);
    if (bucket != null) {
      bucket.giveBack(clock.millis());
    }
  }

  public void evictIdle() {
    long now = clock.millis();
    buckets.values().removeIf(bucket -> bucket.isFull(now));
  }

  int trackedKeys() {
    return buckets.size();
  }
}
