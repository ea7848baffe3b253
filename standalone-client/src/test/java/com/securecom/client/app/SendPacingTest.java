package com.securecom.client.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Pacing sends under the relay's rate limit, on a clock the test moves. */
class SendPacingTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  /**
   * The relay's bucket as ClientConnection keeps it (server module, TokenBucket): {@code burst}
   * tokens, refilled at {@code perSecond}, one per frame, the connection closed (4429) when empty.
   */
  private static final class RelayBucket {
    private final double capacity;
    private final double perNano;
    private double tokens;
    private long at;

    RelayBucket(int burst, int perSecond, long now) {
      capacity = burst;
      perNano = perSecond / 1e9;
      tokens = burst;
      at = now;
    }

    boolean tryTake(long now) {
      tokens = Math.min(capacity, tokens + (now - at) * perNano);
      at = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }

  @Test
  void aThousandFramesAsFastAsPacingAllows_neverEmptyTheRelaysBucket() {
    SendPacing.Bucket pacing = SendPacing.RELAY_DEFAULT.bucket(now::get);
    RelayBucket relay = new RelayBucket(200, 100, now.get());
    long start = now.get();

    for (int frame = 0; frame < 1000; frame++) {
      now.addAndGet(pacing.reserve()); // the frame waits as long as it is told, then goes
      assertThat(relay.tryTake(now.get())).as("frame %d", frame).isTrue();
    }
    double seconds = (now.get() - start) / 1e9;
    // 180 at once, then 95 a second: close to the limit (800 more at 100/s would be 8.0 s)
    assertThat(seconds).isBetween(8.0, 9.0);
  }

  @Test
  void theBurstGoesAtOnce_thenFramesAreSpacedAtTheRate() {
    SendPacing.Bucket pacing = new SendPacing(20, 10).bucket(now::get);

    for (int frame = 0; frame < 18; frame++) { // 90 % of the burst
      assertThat(pacing.reserve()).isZero();
    }
    long wait = pacing.reserve();
    assertThat(wait).isCloseTo((long) (1e9 / 9.5), within(2L)); // 95 % of the rate
    now.addAndGet(TimeUnit.SECONDS.toNanos(10)); // idle: the bucket refills, to the burst only
    for (int frame = 0; frame < 18; frame++) {
      assertThat(pacing.reserve()).isZero();
    }
    assertThat(pacing.reserve()).isPositive();
  }

  @Test
  void framesNotWaitedFor_delayTheOnesThatWait() {
    SendPacing.Bucket pacing = new SendPacing(10, 10).bucket(now::get);
    for (int receipt = 0; receipt < 12; receipt++) {
      pacing.reserve(); // receipts on the connection's thread go at once, into debt
    }
    assertThat(pacing.reserve()).isCloseTo((long) (4e9 / 9.5), within(2L));
  }

  @Test
  void none_neverWaits() {
    SendPacing.Bucket pacing = SendPacing.NONE.bucket(now::get);
    for (int frame = 0; frame < 100_000; frame++) {
      assertThat(pacing.reserve()).isZero();
    }
  }
}
