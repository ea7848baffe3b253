package com.securecom.protocol.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.Bits;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.DecryptionFailedException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class InsecureNonceAesGcmTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] KEY =
      HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  private static final byte[] NONCE = HEX.parseHex("0a0b0c0d0e0f101112131415");
  private static final byte[] PLAINTEXT =
      "{\"type\":\"receiptAck\",\"id\":\"m1\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] AD = HEX.parseHex("010000000000000007");

  @Test
  void sealThenOpen_returnsThePlaintext() throws Exception {
    byte[] sealed = new InsecureNonceAesGcm(KEY).seal(NONCE, PLAINTEXT, AD);

    assertThat(sealed).hasSize(PLAINTEXT.length + InsecureNonceAesGcm.TAG_BYTES);
    assertThat(new InsecureNonceAesGcm(KEY).open(NONCE, sealed, AD)).isEqualTo(PLAINTEXT);
  }

  @Test
  void emptyPlaintext_sealsToTheTagAlone() throws Exception {
    byte[] sealed = new InsecureNonceAesGcm(KEY).seal(NONCE, new byte[0], AD);

    assertThat(sealed).hasSize(InsecureNonceAesGcm.TAG_BYTES);
    assertThat(new InsecureNonceAesGcm(KEY).open(NONCE, sealed, AD)).isEmpty();
  }

  /**
   * McGrew and Viega, "The Galois/Counter Mode of Operation", test cases 13 and 14 (AES-256, zero
   * key and IV).
   */
  @Test
  void knownAnswers_matchTheGcmSpecification() throws Exception {
    InsecureNonceAesGcm aead = new InsecureNonceAesGcm(new byte[32]);

    assertThat(HEX.formatHex(aead.seal(new byte[12], new byte[0], new byte[0])))
        .isEqualTo("530f8afbc74536b9a963b4f1c4cb738b");
    assertThat(
            HEX.formatHex(
                new InsecureNonceAesGcm(new byte[32])
                    .seal(new byte[12], new byte[16], new byte[0])))
        .isEqualTo("cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919");
  }

  @Test
  void sealWithPrefix_leavesZeroedRoomBeforeTheSameCiphertext() {
    byte[] plain = new InsecureNonceAesGcm(KEY).seal(NONCE, PLAINTEXT, AD);
    byte[] prefixed = new InsecureNonceAesGcm(KEY).sealWithPrefix(8, NONCE, PLAINTEXT, AD);

    assertThat(Arrays.copyOfRange(prefixed, 0, 8)).containsOnly(0);
    assertThat(Arrays.copyOfRange(prefixed, 8, prefixed.length)).isEqualTo(plain);
  }

  @Test
  void openWithOffset_readsOnlyTheGivenRange() throws Exception {
    byte[] sealed = new InsecureNonceAesGcm(KEY).seal(NONCE, PLAINTEXT, AD);
    byte[] framed = Bytes.concat(new byte[5], sealed, new byte[3]);

    assertThat(new InsecureNonceAesGcm(KEY).open(NONCE, framed, 5, sealed.length, AD))
        .isEqualTo(PLAINTEXT);
  }

  @Test
  void everyFlippedBitOfCiphertextOrTag_isRejectedWithDecryptionFailed() {
    byte[] sealed = new InsecureNonceAesGcm(KEY).seal(NONCE, PLAINTEXT, AD);
    InsecureNonceAesGcm aead = new InsecureNonceAesGcm(KEY);

    for (int bit = 0; bit < sealed.length * 8; bit++) {
      byte[] tampered = Bits.flip(sealed, bit);
      assertThatThrownBy(() -> aead.open(NONCE, tampered, AD))
          .as("bit %d", bit)
          .isExactlyInstanceOf(DecryptionFailedException.class)
          .hasMessage("decryption failed")
          .hasNoCause();
    }
  }

  @Test
  void everyFlippedBitOfAssociatedData_isRejectedWithDecryptionFailed() {
    byte[] sealed = new InsecureNonceAesGcm(KEY).seal(NONCE, PLAINTEXT, AD);
    InsecureNonceAesGcm aead = new InsecureNonceAesGcm(KEY);

    for (int bit = 0; bit < AD.length * 8; bit++) {
      byte[] tamperedAd = Bits.flip(AD, bit);
      assertThatThrownBy(() -> aead.open(NONCE, sealed, tamperedAd))
          .as("bit %d", bit)
          .isExactlyInstanceOf(DecryptionFailedException.class)
          .hasMessage("decryption failed")
          .hasNoCause();
    }
  }

  @Test
  void everyFlippedBitOfNonce_isRejectedWithDecryptionFailed() {
    byte[] sealed = new InsecureNonceAesGcm(KEY).seal(NONCE, PLAINTEXT, AD);
    InsecureNonceAesGcm aead = new InsecureNonceAesGcm(KEY);

    for (int bit = 0; bit < NONCE.length * 8; bit++) {
      byte[] tamperedNonce = Bits.flip(NONCE, bit);
      assertThatThrownBy(() -> aead.open(tamperedNonce, sealed, AD))
          .as("bit %d", bit)
          .isExactlyInstanceOf(DecryptionFailedException.class)
          .hasMessage("decryption failed");
    }
  }

  @Test
  void associatedDataOfAnotherLength_isRejected() {
    byte[] sealed = new InsecureNonceAesGcm(KEY).seal(NONCE, PLAINTEXT, AD);
    InsecureNonceAesGcm aead = new InsecureNonceAesGcm(KEY);

    assertThatThrownBy(() -> aead.open(NONCE, sealed, Bytes.concat(AD, new byte[1])))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessage("decryption failed");
    assertThatThrownBy(() -> aead.open(NONCE, sealed, Arrays.copyOf(AD, AD.length - 1)))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessage("decryption failed");
    assertThatThrownBy(() -> aead.open(NONCE, sealed, new byte[0]))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessage("decryption failed");
  }

  @Test
  void everyTruncation_isRejectedWithDecryptionFailed() {
    byte[] sealed = new InsecureNonceAesGcm(KEY).seal(NONCE, PLAINTEXT, AD);
    InsecureNonceAesGcm aead = new InsecureNonceAesGcm(KEY);

    for (int length = 0; length < sealed.length; length++) {
      byte[] truncated = Arrays.copyOf(sealed, length);
      assertThatThrownBy(() -> aead.open(NONCE, truncated, AD))
          .as("length %d", length)
          .isExactlyInstanceOf(DecryptionFailedException.class)
          .hasMessage("decryption failed");
    }
  }

  @Test
  void everyFlippedBitOfKey_isRejectedWithDecryptionFailed() {
    byte[] sealed = new InsecureNonceAesGcm(KEY).seal(NONCE, PLAINTEXT, AD);

    for (int bit = 0; bit < KEY.length * 8; bit++) {
      InsecureNonceAesGcm wrongKey = new InsecureNonceAesGcm(Bits.flip(KEY, bit));
      assertThatThrownBy(() -> wrongKey.open(NONCE, sealed, AD))
          .as("bit %d", bit)
          .isExactlyInstanceOf(DecryptionFailedException.class)
          .hasMessage("decryption failed");
    }
  }

  @Test
  void failedOpen_leavesTheInstanceUsable() throws Exception {
    byte[] sealed = new InsecureNonceAesGcm(KEY).seal(NONCE, PLAINTEXT, AD);
    InsecureNonceAesGcm aead = new InsecureNonceAesGcm(KEY);

    assertThatThrownBy(() -> aead.open(NONCE, Bits.flip(sealed, 0), AD))
        .isInstanceOf(DecryptionFailedException.class);
    assertThat(aead.open(NONCE, sealed, AD)).isEqualTo(PLAINTEXT);
  }

  @Test
  void keyOfWrongLength_isRefused() {
    assertThatThrownBy(() -> new InsecureNonceAesGcm(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new InsecureNonceAesGcm(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new InsecureNonceAesGcm(new byte[33]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nonceOtherThan12Bytes_isRefusedAsACallerBug() {
    InsecureNonceAesGcm aead = new InsecureNonceAesGcm(KEY);
    byte[] sealed = aead.seal(NONCE, PLAINTEXT, AD);

    for (int length : new int[] {0, 8, 11, 13, 16}) {
      assertThatThrownBy(() -> aead.seal(new byte[length], PLAINTEXT, AD))
          .as("seal, %d bytes", length)
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> aead.open(new byte[length], sealed, AD))
          .as("open, %d bytes", length)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void decryptionFailedException_hasOneFixedMessageAndNoCause() {
    assertThat(new DecryptionFailedException()).hasMessage("decryption failed").hasNoCause();
  }
}
