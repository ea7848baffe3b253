package com.securecom.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Bytes#fromCanonicalBase64} accepts exactly what decodes and encodes back to the same text
 * (the check it replaced), for random texts near base64 and for every encoding of random bytes with
 * its last characters changed. Seeded.
 */
class CanonicalBase64Test {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  private static final String NEAR = ALPHABET + "====-_ \n.\u00e9";

  /** The check as it was: decode, encode again, compare. */
  private static byte[] reference(String text) {
    try {
      byte[] bytes = Base64.getDecoder().decode(text);
      return Base64.getEncoder().encodeToString(bytes).equals(text) ? bytes : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Test
  void randomTexts_areJudgedAsDecodingAndEncodingAgainJudgesThem() {
    Random random = new Random(7);
    for (int n = 0; n < 200_000; n++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(13);
      for (int i = 0; i < length; i++) {
        text.append(NEAR.charAt(random.nextInt(NEAR.length())));
      }
      assertSame(text.toString());
    }
  }

  @Test
  void encodingsWithTheirTailChanged_areJudgedAsDecodingAndEncodingAgainJudgesThem() {
    Random random = new Random(8);
    for (int n = 0; n < 20_000; n++) {
      byte[] bytes = new byte[random.nextInt(40)];
      random.nextBytes(bytes);
      char[] text = Base64.getEncoder().encodeToString(bytes).toCharArray();
      assertSame(new String(text));
      for (int k = 1; k <= Math.min(3, text.length); k++) {
        char[] changed = text.clone();
        changed[text.length - k] = NEAR.charAt(random.nextInt(NEAR.length()));
        assertSame(new String(changed));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "AA==", "AAA=", "AAAA", "+/+/", "AAECAw=="})
  void canonicalTexts_decode(String text) {
    assertThat(Bytes.fromCanonicalBase64(text)).isEqualTo(Base64.getDecoder().decode(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"AB==", "AAB=", "AA", "AAA", "AA=", "====", "A===", "AA==AA==", "-_-_"})
  void otherSpellings_areRefused(String text) {
    assertThat(Bytes.fromCanonicalBase64(text)).isNull();
  }

  private static void assertSame(String text) {
    assertThat(Bytes.fromCanonicalBase64(text)).as("'%s'", text).isEqualTo(reference(text));
  }
}
