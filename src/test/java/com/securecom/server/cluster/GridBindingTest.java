package com.securecom.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import org.junit.jupiter.api.Test;

/**
 * Hazelcast's own rule for whether the grid listens on every address, as the start-up check reads
 * it.
 */
class GridBindingTest {
  @Test
  void byDefault_theGridListensEverywhere() {
    assertThat(GridBinding.listensEverywhere(new Config())).isTrue();
  }

  @Test
  void bindAnyFalse_bindsTheConfiguredInterfacesOnly() {
    assertThat(
            GridBinding.listensEverywhere(new Config().setProperty(GridBinding.BIND_ANY, "false")))
        .isFalse();
  }

  @Test
  void theServerSocketProperty_winsOverTheGeneralOne() {
    Config config =
        new Config()
            .setProperty(GridBinding.BIND_ANY, "false")
            .setProperty(GridBinding.SERVER_BIND_ANY, "true");

    assertThat(GridBinding.listensEverywhere(config)).isTrue();
  }
}
