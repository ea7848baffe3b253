package com.securecom.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.internal.InsecureNonceAesGcm;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomNonceAesGcmTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] KEY =
      HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  private static final byte[] HEADER = "SCST-like header".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PLAINTEXT = "{\"state\":1}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] AD = Bytes.sha256(Bytes.ascii("associated, not sent"));

  @Test
  void sealThenOpen_returnsThePlaintext() throws Exception {
    RandomNonceAesGcm aead = new RandomNonceAesGcm(KEY);

    byte[] sealed = aead.seal(HEADER, PLAINTEXT, AD);

    assertThat(sealed)
        .hasSize(
            HEADER.length
                + RandomNonceAesGcm.NONCE_BYTES
                + PLAINTEXT.length
                + RandomNonceAesGcm.TAG_BYTES);
    assertThat(aead.open(sealed, HEADER.length, AD)).isEqualTo(PLAINTEXT);
    assertThat(aead.open(aead.seal(new byte[0], new byte[0], new byte[0]), 0, new byte[0]))
        .isEmpty();
  }

  @Test
  void sealedRecord_isHeaderNonceThenGcmWithHeaderAndNonceAuthenticated() {
    byte[] sealed = new RandomNonceAesGcm(KEY).seal(HEADER, PLAINTEXT, AD);

    int ciphertextStart = HEADER.length + RandomNonceAesGcm.NONCE_BYTES;
    byte[] nonce = Arrays.copyOfRange(sealed, HEADER.length, ciphertextStart);
    assertThat(Arrays.copyOf(sealed, HEADER.length)).isEqualTo(HEADER);
    assertThat(Arrays.copyOfRange(sealed, ciphertextStart, sealed.length))
        .isEqualTo(
            new InsecureNonceAesGcm(KEY).seal(nonce, PLAINTEXT, Bytes.concat(HEADER, nonce, AD)));
  }

  @Test
  void everySeal_drawsAFreshNonce() {
    RandomNonceAesGcm aead = new RandomNonceAesGcm(KEY);
    Set<String> nonces = new HashSet<>();

    for (int i = 0; i < 1000; i++) {
      byte[] sealed = aead.seal(HEADER, PLAINTEXT, AD);
      nonces.add(
          HEX.formatHex(sealed, HEADER.length, HEADER.length + RandomNonceAesGcm.NONCE_BYTES));
    }

    assertThat(nonces).hasSize(1000);
  }

  @Test
  void everyFlippedBitOfHeaderNonceCiphertextOrTag_isRejectedWithDecryptionFailed() {
    RandomNonceAesGcm aead = new RandomNonceAesGcm(KEY);
    byte[] sealed = aead.seal(HEADER, PLAINTEXT, AD);

    for (int bit = 0; bit < sealed.length * 8; bit++) {
      byte[] tampered = Bits.flip(sealed, bit);
      assertThatThrownBy(() -> aead.open(tampered, HEADER.length, AD))
          .as("bit %d", bit)
          .isExactlyInstanceOf(DecryptionFailedException.class)
          .hasMessage("decryption failed")
          .hasNoCause();
    }
  }

  @Test
  void everyFlippedBitOfAssociatedData_isRejectedWithDecryptionFailed() {
    RandomNonceAesGcm aead = new RandomNonceAesGcm(KEY);
    byte[] sealed = aead.seal(HEADER, PLAINTEXT, AD);

    for (int bit = 0; bit < AD.length * 8; bit++) {
      byte[] tamperedAd = Bits.flip(AD, bit);
      assertThatThrownBy(() -> aead.open(sealed, HEADER.length, tamperedAd))
          .as("bit %d", bit)
          .isExactlyInstanceOf(DecryptionFailedException.class);
    }
  }

  @Test
  void everyTruncationAndWrongHeaderLength_isRejectedWithDecryptionFailed() {
    RandomNonceAesGcm aead = new RandomNonceAesGcm(KEY);
    byte[] sealed = aead.seal(HEADER, PLAINTEXT, AD);

    for (int length = 0; length < sealed.length; length++) {
      byte[] truncated = Arrays.copyOf(sealed, length);
      assertThatThrownBy(() -> aead.open(truncated, HEADER.length, AD))
          .as("length %d", length)
          .isExactlyInstanceOf(DecryptionFailedException.class);
    }
    for (int headerLength :
        new int[] {-1, 0, HEADER.length - 1, HEADER.length + 1, sealed.length}) {
      assertThatThrownBy(() -> aead.open(sealed, headerLength, AD))
          .as("header length %d", headerLength)
          .isExactlyInstanceOf(DecryptionFailedException.class);
    }
  }

  @Test
  void anotherKey_isRejectedWithDecryptionFailed() {
    byte[] sealed = new RandomNonceAesGcm(KEY).seal(HEADER, PLAINTEXT, AD);

    assertThatThrownBy(
            () -> new RandomNonceAesGcm(Bits.flip(KEY, 0)).open(sealed, HEADER.length, AD))
        .isExactlyInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void keyOfWrongLength_isRefused() {
    assertThatThrownBy(() -> new RandomNonceAesGcm(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RandomNonceAesGcm(new byte[33]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
