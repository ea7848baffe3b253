package com.securecom.server.ratelimit;

import java.time.Duration;

/** Too many attempts; the client may try again after {@link #retryAfter()}. */
public class RateLimitedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final Duration retryAfter;

  public RateLimitedException(Duration retryAfter) {
    super("too many attempts; try again later");
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
