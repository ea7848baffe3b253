package com.securecom.server.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.Wycheproof;
import com.securecom.protocol.crypto.Wycheproof.Case;
import com.securecom.server.web.InvalidRequestException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The registry's upload check against every public key of Wycheproof's {@code x25519_test.json}.
 * Where Wycheproof calls low-order and non-canonical keys "acceptable" for X25519 itself, the
 * registry refuses them (docs/protocol.md: canonical means the top bit clear and u < 2^255 - 19),
 * since no honest client makes one.
 */
class PublicKeyCheckWycheproofTest {
  private static final List<Case> CASES = Wycheproof.cases("x25519_test.json");

  static Stream<Arguments> usable() {
    return Wycheproof.arguments(CASES.stream().filter(c -> !shouldBeRefused(c)));
  }

  static Stream<Arguments> refused() {
    return Wycheproof.arguments(
        CASES.stream().filter(PublicKeyCheckWycheproofTest::shouldBeRefused));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("usable")
  void canonicalKeyOfLargeOrder_isAccepted(String name, Case c) {
    byte[] key = c.bytes("public");

    assertThat(PublicKeyCheck.usableX25519("publicKey", key)).isSameAs(key);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void lowOrderOrNonCanonicalKey_isRefused(String name, Case c) {
    assertThatThrownBy(() -> PublicKeyCheck.usableX25519("publicKey", c.bytes("public")))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void everyKey_isChecked() {
    assertThat(usable()).hasSize(474);
    assertThat(refused()).hasSize(44);
  }

  private static boolean shouldBeRefused(Case c) {
    boolean topBitSet = (c.bytes("public")[31] & 0x80) != 0;
    return c.hasFlag("LowOrderPublic") || c.hasFlag("NonCanonicalPublic") || topBitSet;
  }
}
