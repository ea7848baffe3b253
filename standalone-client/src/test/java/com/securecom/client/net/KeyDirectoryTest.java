package com.securecom.client.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which registry failures say "try again later" and which are an answer (docs/protocol.md,
 * "Failures").
 */
class KeyDirectoryTest {
  @ParameterizedTest
  @ValueSource(ints = {401, 429, 500, 502, 503})
  void serverErrors_rateLimits_andAnExpiredToken_areTransient(int status) {
    assertThat(KeyDirectory.isTransient(new ApiException(status, "x", "x"))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 403, 404, 409})
  void otherRefusals_areFinal(int status) {
    assertThat(KeyDirectory.isTransient(new ApiException(status, "x", "x"))).isFalse();
  }

  @Test
  void noAnswer_isTransient_andAnythingElseIsNot() {
    assertThat(
            KeyDirectory.isTransient(
                new ServerUnreachableException("https://chat.example.org", null)))
        .isTrue();
    assertThat(KeyDirectory.isTransient(new IllegalArgumentException("malformed"))).isFalse();
  }
}
