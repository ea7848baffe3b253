package com.securecom.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.Fingerprint;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProfileInfoTest {
  @Test
  void jsonRoundTrip_isExact() {
    ProfileInfo info = TestProfiles.info();
    assertThat(ProfileInfo.fromJsonBytes(info.toJsonBytes())).isEqualTo(info);
    assertThat(info.serverFingerprint()).isEqualTo(Fingerprint.of(info.serverPublicKeyBytes()));
  }

  @Test
  void fingerprintOfAnotherKey_isRefused() {
    ProfileInfo info = TestProfiles.info();
    assertThatThrownBy(
            () ->
                new ProfileInfo(
                    info.serverUrl(),
                    "alice",
                    info.serverPublicKey(),
                    Fingerprint.of(new byte[32]),
                    Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keyOfWrongLength_isRefused() {
    assertThatThrownBy(
            () -> ProfileInfo.of(URI.create("https://h"), "alice", new byte[31], Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
