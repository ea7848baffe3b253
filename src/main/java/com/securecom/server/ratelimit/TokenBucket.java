package com.securecom.server.ratelimit;

import java.time.Duration;

/**
 * A token bucket: holds at most {@code capacity} tokens and regains {@code capacity} tokens per
 * {@code period}, continuously. Thread-safe. Time comes from the caller (milliseconds) so that
 * tests control it.
 */
public final class TokenBucket {
  private final double capacity;
  private final double tokensPerMilli;
  private double tokens;
  private long updatedAt;

  public TokenBucket(int capacity, Duration period, long nowMillis) {
    if (capacity < 1 || period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("a bucket needs a positive capacity and period");
    }
    this.capacity = capacity;
    this.tokensPerMilli = capacity / (double) period.toMillis();
    this.tokens = capacity;
    this.updatedAt = nowMillis;
  }

  /** Takes one token if there is one. */
  public synchronized boolean tryTake(long nowMillis) {
    refill(nowMillis);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Takes one token, going into debt is not allowed: an empty bucket stays empty. */
  public synchronized void take(long nowMillis) {
    refill(nowMillis);
    tokens = Math.max(0, tokens - 1);
  }

  /**
   * Returns one token taken earlier (up to the capacity): the attempt it paid for turned out not to
   * count.
   */
  public synchronized void giveBack(long nowMillis) {
    refill(nowMillis);
    tokens = Math.min(capacity, tokens + 1);
  }

  /** Zero if a token is available now, else how long until one is. */
  public synchronized Duration waitTime(long nowMillis) {
    refill(nowMillis);
    if (tokens >= 1) {
      return Duration.ZERO;
    }
    return Duration.ofMillis((long) Math.ceil((1 - tokens) / tokensPerMilli));
  }

  /** True if the bucket is full again, so that forgetting it changes nothing. */
  public synchronized boolean isFull(long nowMillis) {
    refill(nowMillis);
    return tokens >= capacity;
  }

  private void refill(long nowMillis) {
    if (nowMillis > updatedAt) {
      tokens = Math.min(capacity, tokens + (nowMillis - updatedAt) * tokensPerMilli);
      updatedAt = nowMillis;
    }
  }
}
