package com.securecom.client.e2e;

import static com.securecom.protocol.vectors.VectorFiles.unhex;
import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.vectors.VectorFiles;
import jakarta.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link SafetyNumber} reproduces {@code /vectors/safety-number.json}, from either side. */
class SafetyNumberVectorsTest {
  static Stream<Arguments> cases() {
    return VectorFiles.load("/vectors/safety-number.json")
        .getJsonArray("cases")
        .getValuesAs(JsonObject.class)
        .stream()
        .map(c -> Arguments.of(c.getString("name"), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void safetyNumber_isTheDocumentedOne(String name, JsonObject c) {
    byte[] a = unhex(c.getString("identityKeyA"));
    byte[] b = unhex(c.getString("identityKeyB"));
    assertThat(SafetyNumber.fingerprint(c.getString("usernameA"), a))
        .isEqualTo(c.getString("fingerprintA"));
    assertThat(SafetyNumber.fingerprint(c.getString("usernameB"), b))
        .isEqualTo(c.getString("fingerprintB"));
    SafetyNumber ab = SafetyNumber.of(c.getString("usernameA"), a, c.getString("usernameB"), b);
    SafetyNumber ba = SafetyNumber.of(c.getString("usernameB"), b, c.getString("usernameA"), a);
    assertThat(ab.digits()).isEqualTo(c.getString("safetyNumber")).isEqualTo(ba.digits());
    assertThat(ab.display()).isEqualTo(c.getString("display"));
  }
}
