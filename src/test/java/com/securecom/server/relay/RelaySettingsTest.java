package com.securecom.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RelaySettingsTest {
  @Test
  void theFastPath_waitsTwoSeconds_forAtMost64MiBOfEnvelopes_byDefault() {
    RelaySettings settings = new RelaySettings();

    assertThat(settings.fastPathWindow()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.fastPathMaxBytes()).isEqualTo(64L << 20);
  }

  @Test
  void aFastPathByteBudgetOfZero_isRefusedAtStartUp() {
    assertThatThrownBy(() -> new RelaySettings().fastPathLimit(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("securecom.relay.fast-path-max-bytes");
  }
}
