package com.securecom.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.vectors.VectorFiles;
import jakarta.json.JsonObject;
import java.util.HexFormat;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Our HKDF against RFC 5869 Appendix A, from {@code /vectors/hkdf.json}. */
class HkdfTest {
  private static final HexFormat HEX = HexFormat.of();

  static Stream<Arguments> rfc5869() {
    return VectorFiles.load("/vectors/hkdf.json")
        .getJsonArray("cases")
        .getValuesAs(JsonObject.class)
        .stream()
        .map(c -> Arguments.of(c.getString("name"), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc5869")
  void rfc5869Case_producesTheExpectedOutput(String name, JsonObject c) {
    byte[] okm =
        Hkdf.sha256(
            HEX.parseHex(c.getString("ikm")),
            HEX.parseHex(c.getString("salt")),
            HEX.parseHex(c.getString("info")),
            c.getInt("length"));

    assertThat(HEX.formatHex(okm)).isEqualTo(c.getString("okm"));
  }

  /**
   * Checks the vector file itself: its PRK is HMAC-SHA256(salt, IKM), an empty salt standing for 32
   * zero bytes.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("rfc5869")
  void rfc5869Case_prkIsHmacOfSaltAndIkm(String name, JsonObject c) throws Exception {
    byte[] salt = HEX.parseHex(c.getString("salt"));
    Mac hmac = Mac.getInstance("HmacSHA256");
    hmac.init(new SecretKeySpec(salt.length == 0 ? new byte[32] : salt, "HmacSHA256"));

    assertThat(HEX.formatHex(hmac.doFinal(HEX.parseHex(c.getString("ikm")))))
        .isEqualTo(c.getString("prk"));
  }
}
