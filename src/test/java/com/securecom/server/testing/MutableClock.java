package com.securecom.server.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until a test moves it. Thread-safe. */
public final class MutableClock extends Clock {
  private volatile Instant now;

  public MutableClock(Instant start) {
    this.now = start;
  }

  /** A clock at a fixed, arbitrary moment (2025-01-01T00:00:00Z). */
  public static MutableClock atSomeFixedTime() {
    return new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  }

  public synchronized void advance(Duration duration) {
    now = now.plus(duration);
  }

  public void advanceMillis(long millis) {
    advance(Duration.ofMillis(millis));
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("tests run in UTC");
  }
}
