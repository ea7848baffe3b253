package com.securecom.server.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.X25519;
import com.securecom.server.web.InvalidRequestException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Issue 10, finding 7: small-order X25519 points were stored as prekeys. */
class PublicKeyCheckTest {
  private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

  private static byte[] littleEndian(BigInteger u) {
    byte[] big = u.toByteArray();
    byte[] out = new byte[32];
    for (int i = 0; i < 32 && i < big.length; i++) {
      out[i] = big[big.length - 1 - i];
    }
    return out;
  }

  @Test
  void smallOrderPoints_areRefused() {
    String[] orderEight = {
      "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
      "5f9c95bc3ca0d4ac3c9d8fe1b7c2b7b2d8d0a2cfbd7ebd7b8fdee5fd8a3f0f00"
    };
    assertThat(PublicKeyCheck.hasSmallOrder(littleEndian(BigInteger.ZERO))).isTrue();
    assertThat(PublicKeyCheck.hasSmallOrder(littleEndian(BigInteger.ONE))).isTrue();
    assertThat(PublicKeyCheck.hasSmallOrder(littleEndian(P.subtract(BigInteger.ONE)))).isTrue();
    assertThat(PublicKeyCheck.hasSmallOrder(HexFormat.of().parseHex(orderEight[0]))).isTrue();
    assertThatThrownBy(() -> PublicKeyCheck.usableX25519("signedPreKey.publicKey", new byte[32]))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.field()).isEqualTo("signedPreKey.publicKey"));
  }

  @Test
  void nonCanonicalEncodings_areRefused() {
    assertThat(PublicKeyCheck.isCanonical(littleEndian(P))).isFalse();
    assertThat(PublicKeyCheck.isCanonical(littleEndian(P.add(BigInteger.ONE)))).isFalse();
    assertThat(PublicKeyCheck.isCanonical(littleEndian(P.subtract(BigInteger.ONE)))).isTrue();
    byte[] topBit = X25519.generate(new SecureRandom()).publicKey();
    topBit[31] |= (byte) 0x80;
    assertThat(PublicKeyCheck.isCanonical(topBit)).isFalse();
  }

  @Test
  void freshKeys_areUsable() {
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 100; i++) {
      byte[] key = X25519.generate(random).publicKey();
      assertThat(PublicKeyCheck.usableX25519("publicKey", key)).isSameAs(key);
    }
  }
}
