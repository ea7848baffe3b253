package com.securecom.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The two ways the benchmark compares hand the relay the same payload, again and again. */
class InboundFrameBenchmarkTest {
  @Test
  void theFenceAndTheContainer_unmaskToTheSamePayload() throws Throwable {
    InboundFrameBenchmark benchmark = new InboundFrameBenchmark();
    benchmark.frame();

    byte[] byTheContainer = benchmark.containerUnmasks();
    for (int frame = 0; frame < 3; frame++) {
      byte[] byTheFence = benchmark.fenceUnmasks();
      assertThat(byTheFence).hasSize(1_100).isEqualTo(byTheContainer);
    }
  }
}
