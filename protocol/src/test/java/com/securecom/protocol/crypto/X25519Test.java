package com.securecom.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class X25519Test {
  private static final HexFormat HEX = HexFormat.of();
  // RFC 7748 section 6.1
  private static final byte[] ALICE_PRIVATE =
      HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  private static final byte[] ALICE_PUBLIC =
      HEX.parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  private static final byte[] BOB_PRIVATE =
      HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
  private static final byte[] BOB_PUBLIC =
      HEX.parseHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  private static final String SHARED =
      "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

  @Test
  void rfc7748Vector_publicKeysAndSharedSecretMatch() throws Exception {
    assertThat(X25519.publicKey(ALICE_PRIVATE)).isEqualTo(ALICE_PUBLIC);
    assertThat(X25519.publicKey(BOB_PRIVATE)).isEqualTo(BOB_PUBLIC);
    assertThat(HEX.formatHex(X25519.agree(ALICE_PRIVATE, BOB_PUBLIC))).isEqualTo(SHARED);
    assertThat(HEX.formatHex(X25519.agree(BOB_PRIVATE, ALICE_PUBLIC))).isEqualTo(SHARED);
  }

  @Test
  void generatedKeyPairs_agreeOnOneSecret() throws Exception {
    SecureRandom random = new SecureRandom();
    X25519.KeyPair a = X25519.generate(random);
    X25519.KeyPair b = X25519.generate(random);

    assertThat(a.publicKey()).hasSize(32).isEqualTo(X25519.publicKey(a.privateKey()));
    assertThat(X25519.agree(a.privateKey(), b.publicKey()))
        .isEqualTo(X25519.agree(b.privateKey(), a.publicKey()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("com.securecom.protocol.crypto.LowOrderPoints#arguments")
  void smallOrderPeerKey_isRejected(String name, byte[] point) {
    assertThatThrownBy(() -> X25519.agree(ALICE_PRIVATE, point))
        .isExactlyInstanceOf(DecryptionFailedException.class)
        .hasMessage("decryption failed");
    assertThatThrownBy(() -> X25519.agree(X25519.generate(new SecureRandom()).privateKey(), point))
        .isExactlyInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void peerKeyOfWrongLengthOrNull_isRejected() {
    assertThatThrownBy(() -> X25519.agree(ALICE_PRIVATE, new byte[31]))
        .isInstanceOf(DecryptionFailedException.class);
    assertThatThrownBy(() -> X25519.agree(ALICE_PRIVATE, new byte[33]))
        .isInstanceOf(DecryptionFailedException.class);
    assertThatThrownBy(() -> X25519.agree(ALICE_PRIVATE, new byte[0]))
        .isInstanceOf(DecryptionFailedException.class);
    assertThatThrownBy(() -> X25519.agree(ALICE_PRIVATE, null))
        .isInstanceOf(DecryptionFailedException.class);
  }

  /**
   * RFC 7748 section 5: the top bit of a u-coordinate is masked, so it cannot make a second valid
   * encoding matter.
   */
  @Test
  void topBitOfPeerKey_isIgnored() throws Exception {
    byte[] topBitSet = BOB_PUBLIC.clone();
    topBitSet[31] |= (byte) 0x80;

    assertThat(HEX.formatHex(X25519.agree(ALICE_PRIVATE, topBitSet))).isEqualTo(SHARED);
  }

  @Test
  void keyPairToString_redactsThePrivateKey() {
    X25519.KeyPair pair = new X25519.KeyPair(ALICE_PRIVATE, ALICE_PUBLIC);

    assertThat(pair.toString())
        .contains("[REDACTED]")
        .doesNotContain(Bytes.base64(ALICE_PRIVATE))
        .doesNotContain(HEX.formatHex(ALICE_PRIVATE));
  }
}
