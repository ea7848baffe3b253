package com.securecom.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BytesTest {
  @Test
  void base64_isStandardAlphabetWithPadding() {
    assertThat(Bytes.base64(new byte[] {(byte) 0xfb, (byte) 0xff})).isEqualTo("+/8=");
    assertThat(Bytes.base64(new byte[] {1})).isEqualTo("AQ==");
    assertThat(Bytes.base64(new byte[32])).hasSize(44).endsWith("=");
    assertThat(Bytes.base64(new byte[64])).hasSize(88).endsWith("==");
  }

  @Test
  void fromBase64_roundTripsAndRefusesOtherAlphabets() {
    byte[] bytes = HexFormat.of().parseHex("fbff00");

    assertThat(Bytes.fromBase64(Bytes.base64(bytes))).isEqualTo(bytes);
    assertThatThrownBy(() -> Bytes.fromBase64("-_8A")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Bytes.fromBase64("AQ=")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Bytes.fromBase64("A Q=="))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sha256_ofEmptyInput_isTheKnownDigest() {
    assertThat(HexFormat.of().formatHex(Bytes.sha256()))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(Bytes.sha256(Bytes.ascii("ab"), Bytes.ascii("c")))
        .isEqualTo(Bytes.sha256(Bytes.ascii("abc")));
  }

  @Test
  void constantTimeEquals_comparesContent() {
    assertThat(Bytes.constantTimeEquals(new byte[] {1, 2}, new byte[] {1, 2})).isTrue();
    assertThat(Bytes.constantTimeEquals(new byte[] {1, 2}, new byte[] {1, 3})).isFalse();
    assertThat(Bytes.constantTimeEquals(new byte[] {1, 2}, new byte[] {1, 2, 3})).isFalse();
  }
}
