package com.securecom.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, finding 6: keyId, types and base64 were coerced where docs/protocol.md promises a 400.
 */
class JsonFieldsTest {
  private static JsonFields body(String json) {
    return JsonFields.of(StrictJson.parse(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static String refusedField(Runnable read) {
    return catchThrowableOfType(read::run, InvalidRequestException.class).field();
  }

  @Test
  void keyId_acceptsPlainIntegersFrom0To2To53Minus1() {
    assertThat(body("{\"keyId\":0}").keyId("keyId")).isZero();
    assertThat(body("{\"keyId\":77}").keyId("keyId")).isEqualTo(77);
    assertThat(body("{\"keyId\":9007199254740991}").keyId("keyId")).isEqualTo(9007199254740991L);
  }

  @Test
  void keyId_refusesStringsFractionsExponentsSignsAndValuesFrom2To53() {
    for (String bad :
        new String[] {
          "\"77\"",
          "1e2",
          "-0",
          "1.5",
          "1.0",
          "9007199254740992",
          "1e308",
          "-1",
          "99999999999999999999",
          "true",
          "null",
          "[1]",
          "{}"
        }) {
      assertThat(
              refusedField(
                  () -> body("{\"k\":{\"keyId\":" + bad + "}}").object("k").keyId("keyId")))
          .as(bad)
          .isEqualTo("k.keyId");
    }
  }

  @Test
  void deviceId_acceptsPlainIntegersFrom1To999999999() {
    assertThat(body("{\"device\":1}").deviceId("device")).isEqualTo(1);
    assertThat(body("{\"device\":999999999}").deviceId("device")).isEqualTo(999_999_999);
  }

  @Test
  void deviceId_refusesZero_tenDigits_andEveryNonIntegerForm() {
    for (String bad :
        new String[] {
          "0", "-1", "-0", "1000000000", "\"1\"", "1.0", "1e0", "1.5", "true", "null", "[1]", "{}"
        }) {
      assertThat(refusedField(() -> body("{\"device\":" + bad + "}").deviceId("device")))
          .as(bad)
          .isEqualTo("device");
    }
  }

  @Test
  void base64OfARange_acceptsLengthsInIt_andRefusesTheRestWithoutDecodingLongText() {
    assertThat(body("{\"b\":\"AAECAw==\"}").base64("b", 4, 6)).containsExactly(0, 1, 2, 3);
    for (String bad :
        new String[] {"AAEC", "AAECAwQFBg==", "AAECAx==", "AAECAw", "A".repeat(100_000)}) {
      assertThat(refusedField(() -> body("{\"b\":\"" + bad + "\"}").base64("b", 4, 6)))
          .as(bad.length() > 20 ? "very long" : bad)
          .isEqualTo("b");
    }
  }

  @Test
  void strings_mustBeJsonStrings() {
    Pattern any = Pattern.compile(".*");
    for (String bad : new String[] {"12345", "true", "1.5", "null", "[\"a\"]", "{}"}) {
      assertThat(
              refusedField(
                  () -> body("{\"username\":" + bad + "}").string("username", any, "text")))
          .as(bad)
          .isEqualTo("username");
    }
    assertThat(refusedField(() -> body("{}").string("username"))).isEqualTo("username");
  }

  @Test
  void base64_mustBeCanonicalAndPaddedAndExactlyLong() {
    assertThat(body("{\"b\":\"AAECAw==\"}").base64("b", 4)).containsExactly(0, 1, 2, 3);
    for (String bad :
        new String[] {
          "AAECAx==",
          "AAECAw",
          "AAECAw=",
          "AAEC Aw==",
          "AAECAw==\\n",
          "AA-_Aw==",
          "AAECAwQ=",
          "AAECAw===",
          "=AAECAw",
          ""
        }) {
      assertThat(refusedField(() -> body("{\"b\":\"" + bad + "\"}").base64("b", 4)))
          .as(bad)
          .isEqualTo("b");
    }
  }

  @Test
  void arrays_nameTheirElementsByIndex() {
    JsonFields root = body("{\"keys\":[{\"keyId\":1},{\"keyId\":\"2\"}]}");
    var keys = root.objects("keys", false, 1, 10);
    assertThat(keys.get(0).keyId("keyId")).isEqualTo(1);
    assertThat(refusedField(() -> keys.get(1).keyId("keyId"))).isEqualTo("keys[1].keyId");
    assertThat(refusedField(() -> root.objects("keys", false, 3, 10))).isEqualTo("keys");
    assertThat(body("{}").objects("keys", true, 1, 10)).isEmpty();
    assertThat(refusedField(() -> body("{\"keys\":[1]}").objects("keys", false, 0, 10)))
        .isEqualTo("keys[0]");
  }
}
