package com.securecom.client.app;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps the frames a client sends under the relay's rate limit (docs/protocol.md, close code 4429:
 * bursts of {@code burst} frames, {@code perSecond} sustained, by default 200 and 100), with a
 * margin for the frames the client does not pace (pings, receipts, sync) and for frames that reach
 * the server bunched together. Without it a pipe of more than about 200 lines got the connection
 * closed with 4429 part way through, and the rest waited in the outbox.
 *
 * <p>A token bucket that may go into debt: {@link #reserve} takes a token and says how long its
 * frame must wait; {@link #acquire} waits that long (outside any lock). Thread-safe.
 */
public final class SendPacing {
  /** The relay's default limit ({@code securecom.channel.rate.burst} and {@code .per-second}). */
  public static final SendPacing RELAY_DEFAULT = new SendPacing(200, 100);

  /** No pacing: for a relay without a rate limit (tests and benchmarks in one process). */
  public static final SendPacing NONE = new SendPacing(Integer.MAX_VALUE, Integer.MAX_VALUE);

  private final int burst;
  private final int perSecond;

  public SendPacing(int burst, int perSecond) {
    if (burst < 1 || perSecond < 1) {
      throw new IllegalArgumentException("a rate limit needs a positive burst and rate");
    }
    this.burst = burst;
    this.perSecond = perSecond;
  }

  public int burst() {
    return burst;
  }

  public int perSecond() {
    return perSecond;
  }

  /** A bucket for one connection, full at {@code now} (as the server's is when it opens). */
  Bucket bucket(LongSupplier nanoTime) {
    return new Bucket(this, nanoTime);
  }

  /** The bucket of one connection. */
  static final class Bucket {
    private final boolean unlimited;
    private final double capacity;
    private final double perNano;
    private final LongSupplier nanoTime;
    private double tokens;
    private long at;

    private Bucket(SendPacing limit, LongSupplier nanoTime) {
      this.unlimited = limit.burst == Integer.MAX_VALUE;
      this.capacity = Math.max(1, Math.floor(limit.burst * 0.9));
      this.perNano = limit.perSecond * 0.95 / TimeUnit.SECONDS.toNanos(1);
      this.nanoTime = nanoTime;
      this.tokens = capacity;
      this.at = nanoTime.getAsLong();
    }

    /** Takes a token for one frame; returns how many nanoseconds it must wait before it goes. */
    synchronized long reserve() {
      if (unlimited) {
        return 0;
      }
      long now = nanoTime.getAsLong();
      tokens = Math.min(capacity, tokens + (now - at) * perNano);
      at = now;
      tokens -= 1;
      return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perNano);
    }

    /** Takes a token and waits until the frame may go. */
    void acquire() {
      long wait = reserve();
      if (wait > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted");
        }
      }
    }
  }
}
