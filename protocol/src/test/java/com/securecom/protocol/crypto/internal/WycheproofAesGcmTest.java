package com.securecom.protocol.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.crypto.Wycheproof;
import com.securecom.protocol.crypto.Wycheproof.Case;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Wycheproof's {@code aes_gcm_test.json} through {@link InsecureNonceAesGcm}. Every vector of the
 * one shape the wrapper takes (a 256-bit key, a 96-bit IV, a 128-bit tag) must seal to its
 * ciphertext and tag and open, or, if invalid, be refused with "decryption failed". Vectors of
 * other key or IV sizes are not run as encryptions: the wrapper must refuse their parameters (128-
 * and 192-bit keys, IVs other than 96 bits, among them the zero-length and long IVs Wycheproof
 * warns about), and they are counted so that a changed file is noticed.
 */
class WycheproofAesGcmTest {
  private static final List<Case> CASES = Wycheproof.cases("aes_gcm_test.json");

  static Stream<Arguments> supportedValid() {
    return Wycheproof.arguments(
        CASES.stream().filter(WycheproofAesGcmTest::isSupported).filter(Case::isValid));
  }

  static Stream<Arguments> supportedInvalid() {
    return Wycheproof.arguments(
        CASES.stream().filter(WycheproofAesGcmTest::isSupported).filter(c -> !c.isValid()));
  }

  static Stream<Arguments> otherKeySizes() {
    return Wycheproof.arguments(CASES.stream().filter(c -> c.groupInt("keySize") != 256));
  }

  static Stream<Arguments> otherIvSizes() {
    return Wycheproof.arguments(
        CASES.stream().filter(c -> c.groupInt("keySize") == 256 && c.groupInt("ivSize") != 96));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("supportedValid")
  void validVector_sealsToItsCiphertextAndTagAndOpens(String name, Case c) throws Exception {
    byte[] sealed = Bytes.concat(c.bytes("ct"), c.bytes("tag"));

    assertThat(
            new InsecureNonceAesGcm(c.bytes("key"))
                .seal(c.bytes("iv"), c.bytes("msg"), c.bytes("aad")))
        .isEqualTo(sealed);
    byte[] prefixed =
        new InsecureNonceAesGcm(c.bytes("key"))
            .sealWithPrefix(3, c.bytes("iv"), c.bytes("msg"), c.bytes("aad"));
    assertThat(Arrays.copyOfRange(prefixed, 3, prefixed.length)).isEqualTo(sealed);
    assertThat(new InsecureNonceAesGcm(c.bytes("key")).open(c.bytes("iv"), sealed, c.bytes("aad")))
        .isEqualTo(c.bytes("msg"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("supportedInvalid")
  void invalidVector_isRefusedWithDecryptionFailed(String name, Case c) {
    byte[] sealed = Bytes.concat(c.bytes("ct"), c.bytes("tag"));
    byte[] framed = Bytes.concat(new byte[5], sealed);

    assertThatThrownBy(
            () ->
                new InsecureNonceAesGcm(c.bytes("key")).open(c.bytes("iv"), sealed, c.bytes("aad")))
        .isExactlyInstanceOf(DecryptionFailedException.class)
        .hasMessage("decryption failed");
    assertThatThrownBy(
            () ->
                new InsecureNonceAesGcm(c.bytes("key"))
                    .open(c.bytes("iv"), framed, 5, sealed.length, c.bytes("aad")))
        .isExactlyInstanceOf(DecryptionFailedException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("otherKeySizes")
  void vectorWithAnotherKeySize_isRefusedAtTheKey(String name, Case c) {
    assertThatThrownBy(() -> new InsecureNonceAesGcm(c.bytes("key")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("otherIvSizes")
  void vectorWithAnotherIvSize_isRefusedAtTheNonce(String name, Case c) {
    InsecureNonceAesGcm aead = new InsecureNonceAesGcm(c.bytes("key"));
    byte[] sealed = Bytes.concat(c.bytes("ct"), c.bytes("tag"));

    assertThatThrownBy(() -> aead.seal(c.bytes("iv"), c.bytes("msg"), c.bytes("aad")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> aead.open(c.bytes("iv"), sealed, c.bytes("aad")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * The counts of the copied file (see the README beside it): 66 run, 250 refused as parameters we
   * do not take.
   */
  @Test
  void everyVector_isRunOrRefusedForItsParameters() {
    assertThat(CASES).hasSize(316);
    assertThat(CASES).allSatisfy(c -> assertThat(c.groupInt("tagSize")).isEqualTo(128));
    assertThat(CASES.stream().filter(WycheproofAesGcmTest::isSupported).filter(Case::isValid))
        .hasSize(39);
    assertThat(CASES.stream().filter(WycheproofAesGcmTest::isSupported).filter(c -> !c.isValid()))
        .hasSize(27);
    assertThat(otherKeySizes()).hasSize(211);
    assertThat(otherIvSizes()).hasSize(39);
    assertThat(CASES).filteredOn(c -> c.result().equals("acceptable")).isEmpty();
  }

  private static boolean isSupported(Case c) {
    return c.groupInt("keySize") == 256
        && c.groupInt("ivSize") == 96
        && c.groupInt("tagSize") == 128;
  }
}
