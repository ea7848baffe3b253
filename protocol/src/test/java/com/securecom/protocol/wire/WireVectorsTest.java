package com.securecom.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.vectors.VectorFiles;
import com.securecom.protocol.vectors.WireVectorsGenerator;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The codec reproduces {@code /vectors/wire.json}. */
class WireVectorsTest {
  private static final WireCodec CODEC = new WireCodec();

  private static Stream<Arguments> cases(String array) {
    return VectorFiles.load("/vectors/wire.json")
        .getJsonArray(array)
        .getValuesAs(JsonObject.class)
        .stream()
        .map(c -> Arguments.of(c.getString("name"), c));
  }

  static Stream<Arguments> valid() {
    return cases("valid");
  }

  static Stream<Arguments> invalid() {
    return cases("invalid");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void validJson_decodesToTheMessage(String name, JsonObject c) throws Exception {
    WireMessage decoded = CODEC.decode(c.getString("json").getBytes(StandardCharsets.UTF_8));

    assertThat(WireVectorsGenerator.fields(decoded)).isEqualTo(c.getJsonObject("message"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void canonicalJson_isWhatTheEncoderWrites(String name, JsonObject c) throws Exception {
    WireMessage decoded = CODEC.decode(c.getString("json").getBytes(StandardCharsets.UTF_8));
    if (c.getBoolean("canonical")) {
      assertThat(new String(CODEC.encode(decoded), StandardCharsets.UTF_8))
          .isEqualTo(c.getString("json"));
    } else {
      assertThat(CODEC.decode(CODEC.encode(decoded))).isEqualTo(decoded);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidInput_isMalformed(String name, JsonObject c) {
    byte[] input =
        c.containsKey("hex")
            ? VectorFiles.unhex(c.getString("hex"))
            : c.getString("json").getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> CODEC.decode(input))
        .isExactlyInstanceOf(MalformedMessageException.class);
  }
}
