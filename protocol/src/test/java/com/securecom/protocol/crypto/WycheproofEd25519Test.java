package com.securecom.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.crypto.Wycheproof.Case;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Wycheproof's {@code ed25519_test.json} through {@link Ed25519#verify}, every vector: true exactly
 * for "valid". Our policy is RFC 8032's strict verification (section 5.1.7), so Wycheproof's
 * invalid cases are ours too: S must be below the group order L, so that no signature can be
 * altered into a second valid one ({@code SignatureMalleability}); R must be a canonical encoding
 * ({@code InvalidEncoding}); a signature of any length but 64 bytes ({@code TruncatedSignature},
 * {@code SignatureWithGarbage}) is false, never an exception. Small-order public keys, which
 * Wycheproof does not test here, are refused too ({@code Ed25519Test}).
 */
class WycheproofEd25519Test {
  private static final List<Case> CASES = Wycheproof.cases("ed25519_test.json");

  static Stream<Arguments> vectors() {
    return Wycheproof.arguments(CASES.stream());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void vector_verifiesExactlyWhenValid(String name, Case c) {
    byte[] publicKey =
        HexFormat.of().parseHex(c.group().getJsonObject("publicKey").getString("pk"));

    assertThat(Ed25519.verify(publicKey, c.bytes("msg"), c.bytes("sig"))).isEqualTo(c.isValid());
  }

  /**
   * The counts of the copied file (see the README beside it), so that a changed file is noticed.
   */
  @Test
  void everyVector_isRun() {
    assertThat(CASES).hasSize(151);
    assertThat(CASES).filteredOn(Case::isValid).hasSize(88);
    assertThat(CASES).filteredOn(c -> c.result().equals("invalid")).hasSize(63);
  }
}
