package com.securecom.client.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The background warm-up really runs the send path, and stops when told. */
class EncryptWarmupTest {
  @Test
  void encryptsThrowAwayTexts_untilClosed() throws Exception {
    EncryptWarmup warmup = EncryptWarmup.start();
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (warmup.encrypted() < 50 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(warmup.encrypted()).isGreaterThanOrEqualTo(50); // a session was started and used
    warmup.close();
    Thread.sleep(200);
    int stoppedAt = warmup.encrypted();
    Thread.sleep(300);
    assertThat(warmup.encrypted()).isEqualTo(stoppedAt).isLessThan(EncryptWarmup.MAX_TEXTS);
  }
}
