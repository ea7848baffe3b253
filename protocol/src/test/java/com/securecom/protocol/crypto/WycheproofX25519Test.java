package com.securecom.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.Wycheproof.Case;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Wycheproof's {@code x25519_test.json} through {@link X25519#agree}, every vector, against our
 * documented policy (docs/protocol.md, "Encodings"), which is stricter than Wycheproof's
 * "acceptable":
 *
 * <ul>
 *   <li>a result of 32 zero bytes (a public key of small order, flagged {@code ZeroSharedSecret})
 *       is refused with "decryption failed", where Wycheproof accepts either answer;
 *   <li>every other vector, "valid" or "acceptable" alike (points on the twist, non-canonical u at
 *       least p, the top bit set), yields exactly the RFC 7748 shared secret Wycheproof gives: the
 *       top bit is ignored and u is reduced mod p, as RFC 7748 section 5 says. (The key registry
 *       refuses non-canonical keys at upload; X25519 itself computes with them, so both peers agree
 *       whatever the encoding.)
 * </ul>
 */
class WycheproofX25519Test {
  private static final List<Case> CASES = Wycheproof.cases("x25519_test.json");
  private static final byte[] ZEROS = new byte[32];

  static Stream<Arguments> withSecret() {
    return Wycheproof.arguments(
        CASES.stream().filter(c -> !Arrays.equals(c.bytes("shared"), ZEROS)));
  }

  static Stream<Arguments> withZeroSecret() {
    return Wycheproof.arguments(
        CASES.stream().filter(c -> Arrays.equals(c.bytes("shared"), ZEROS)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withSecret")
  void vectorWithASecret_agreesOnIt(String name, Case c) throws Exception {
    assertThat(X25519.agree(c.bytes("private"), c.bytes("public"))).isEqualTo(c.bytes("shared"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withZeroSecret")
  void vectorWithAllZeroSecret_isRefusedWithDecryptionFailed(String name, Case c) {
    assertThat(c.hasFlag("ZeroSharedSecret")).isTrue();
    assertThatThrownBy(() -> X25519.agree(c.bytes("private"), c.bytes("public")))
        .isExactlyInstanceOf(DecryptionFailedException.class)
        .hasMessage("decryption failed")
        .hasNoCause();
  }

  /**
   * Our own list of small-order encodings, used by the channel and registry tests, misses none of
   * Wycheproof's.
   */
  @Test
  void everyLowOrderPublicKey_isInOurListOfSmallOrderPoints() {
    Set<String> ours =
        LowOrderPoints.all().values().stream()
            .map(HexFormat.of()::formatHex)
            .collect(Collectors.toSet());

    assertThat(
            CASES.stream()
                .filter(c -> c.hasFlag("LowOrderPublic"))
                .map(c -> c.test().getString("public")))
        .isNotEmpty()
        .allSatisfy(key -> assertThat(ours).contains(key));
  }

  /**
   * The counts of the copied file (see the README beside it), so that a changed file is noticed.
   */
  @Test
  void everyVector_isRun() {
    assertThat(CASES).hasSize(518);
    assertThat(withSecret()).hasSize(487);
    assertThat(withZeroSecret()).hasSize(31);
    assertThat(CASES).filteredOn(c -> c.result().equals("invalid")).isEmpty();
    assertThat(CASES)
        .filteredOn(c -> c.hasFlag("ZeroSharedSecret"))
        .allSatisfy(c -> assertThat(c.bytes("shared")).isEqualTo(ZEROS));
  }
}
