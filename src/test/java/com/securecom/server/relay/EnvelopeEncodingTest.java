package com.securecom.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.crypto.Bytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@code send}'s envelope is relayed byte for byte, so only one spelling of each byte string is
 * accepted.
 */
class EnvelopeEncodingTest {
  @ParameterizedTest
  @ValueSource(strings = {"AAECAw==", "AAECAwQ=", "AAECAwQF", "+/+/", "AA=="})
  void canonicalPaddedBase64_isAccepted(String text) {
    assertThat(Bytes.fromCanonicalBase64(text)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "AAECAx==",
        "AAECAwR=",
        "AAECAw",
        "AAECAwQ",
        "AAEC Aw==",
        "AAECAw==\n",
        "AAECAw=",
        "-_-_",
        "AAECAw===",
        "=AAECAw=",
        "AA==AA==",
        "%%%"
      })
  void anyOtherSpelling_isRefused(String text) {
    assertThat(Bytes.fromCanonicalBase64(text)).isNull();
  }
}
