package com.securecom.server.channel.container;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UpgradeFilterTest {
  @Test
  void aKeyMustBeCanonicalBase64Of16Bytes() {
    assertThat(UpgradeFilter.isValidKey("dGhlIHNhbXBsZSBub25jZQ=="))
        .isTrue(); // RFC 6455 section 1.3
    assertThat(UpgradeFilter.isValidKey("dGhlIHNhbXBsZSBub25jZQ")).as("unpadded").isFalse();
    assertThat(UpgradeFilter.isValidKey("dGhlIHNhbXBsZSBub25jZR=="))
        .as("non-zero trailing bits")
        .isFalse();
    assertThat(UpgradeFilter.isValidKey("not a websocket key!!!==")).isFalse();
    assertThat(UpgradeFilter.isValidKey("dGhlIHNhbXBsZSBub25jZSE=")).as("17 bytes").isFalse();
    assertThat(UpgradeFilter.isValidKey("")).isFalse();
  }
}
