package com.securecom.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Ed25519Test {
  private static final HexFormat HEX = HexFormat.of();
  // RFC 8032 section 7.1, TEST 1 (empty message)
  private static final byte[] SEED =
      HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  private static final byte[] PUBLIC =
      HEX.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  private static final String TEST1_SIGNATURE =
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555"
          + "fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
  private static final byte[] MESSAGE =
      "SecureCom channel v1 transcript stand-in".getBytes(StandardCharsets.US_ASCII);

  @Test
  void rfc8032Test1_publicKeyAndSignatureMatch() {
    assertThat(Ed25519.publicKey(SEED)).isEqualTo(PUBLIC);
    assertThat(HEX.formatHex(Ed25519.sign(SEED, new byte[0]))).isEqualTo(TEST1_SIGNATURE);
    assertThat(Ed25519.verify(PUBLIC, new byte[0], HEX.parseHex(TEST1_SIGNATURE))).isTrue();
  }

  @Test
  void signatures_areDeterministicAndVerify() {
    byte[] signature = Ed25519.sign(SEED, MESSAGE);

    assertThat(signature).hasSize(Ed25519.SIGNATURE_BYTES).isEqualTo(Ed25519.sign(SEED, MESSAGE));
    assertThat(Ed25519.verify(PUBLIC, MESSAGE, signature)).isTrue();
  }

  @Test
  void generatedKeyPair_signsAndVerifies() {
    Ed25519.KeyPair pair = Ed25519.generate(new SecureRandom());

    assertThat(pair.publicKey()).isEqualTo(Ed25519.publicKey(pair.privateKey()));
    assertThat(Ed25519.verify(pair.publicKey(), MESSAGE, Ed25519.sign(pair.privateKey(), MESSAGE)))
        .isTrue();
    assertThat(Ed25519.verify(PUBLIC, MESSAGE, Ed25519.sign(pair.privateKey(), MESSAGE))).isFalse();
  }

  @Test
  void everyFlippedBitOfSignature_failsVerification() {
    byte[] signature = Ed25519.sign(SEED, MESSAGE);

    for (int bit = 0; bit < signature.length * 8; bit++) {
      assertThat(Ed25519.verify(PUBLIC, MESSAGE, Bits.flip(signature, bit)))
          .as("bit %d", bit)
          .isFalse();
    }
  }

  @Test
  void everyFlippedBitOfMessage_failsVerification() {
    byte[] signature = Ed25519.sign(SEED, MESSAGE);

    for (int bit = 0; bit < MESSAGE.length * 8; bit++) {
      assertThat(Ed25519.verify(PUBLIC, Bits.flip(MESSAGE, bit), signature))
          .as("bit %d", bit)
          .isFalse();
    }
  }

  @Test
  void everyFlippedBitOfPublicKey_failsVerification() {
    byte[] signature = Ed25519.sign(SEED, MESSAGE);

    for (int bit = 0; bit < PUBLIC.length * 8; bit++) {
      assertThat(Ed25519.verify(Bits.flip(PUBLIC, bit), MESSAGE, signature))
          .as("bit %d", bit)
          .isFalse();
    }
  }

  @Test
  void extendedOrTruncatedMessage_failsVerification() {
    byte[] signature = Ed25519.sign(SEED, MESSAGE);

    assertThat(Ed25519.verify(PUBLIC, Bytes.concat(MESSAGE, new byte[1]), signature)).isFalse();
    assertThat(Ed25519.verify(PUBLIC, Arrays.copyOf(MESSAGE, MESSAGE.length - 1), signature))
        .isFalse();
  }

  @Test
  void wrongLengthsOrNulls_failVerificationWithoutThrowing() {
    byte[] signature = Ed25519.sign(SEED, MESSAGE);

    assertThat(Ed25519.verify(PUBLIC, MESSAGE, Arrays.copyOf(signature, 63))).isFalse();
    assertThat(Ed25519.verify(PUBLIC, MESSAGE, Bytes.concat(signature, new byte[1]))).isFalse();
    assertThat(Ed25519.verify(PUBLIC, MESSAGE, null)).isFalse();
    assertThat(Ed25519.verify(Arrays.copyOf(PUBLIC, 31), MESSAGE, signature)).isFalse();
    assertThat(Ed25519.verify(null, MESSAGE, signature)).isFalse();
    assertThat(Ed25519.verify(new byte[32], MESSAGE, new byte[64])).isFalse();
  }

  /**
   * A = R = the identity point and S = 0 satisfy [S]B = R + [k]A for every message in a lenient
   * verifier.
   */
  @Test
  void smallOrderPublicKey_verifiesNothing() {
    byte[] identity =
        HEX.parseHex("0100000000000000000000000000000000000000000000000000000000000000");
    byte[] signature = Bytes.concat(identity, new byte[32]);

    assertThat(Ed25519.verify(identity, MESSAGE, signature)).isFalse();
    assertThat(Ed25519.verify(identity, new byte[0], signature)).isFalse();
  }

  @Test
  void keyPairToString_redactsThePrivateKey() {
    assertThat(new Ed25519.KeyPair(SEED, PUBLIC).toString())
        .contains("[REDACTED]")
        .doesNotContain(Bytes.base64(SEED));
  }
}
