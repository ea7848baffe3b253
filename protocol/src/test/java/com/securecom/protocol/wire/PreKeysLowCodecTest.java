package com.securecom.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code preKeysLow} (issue 10, finding 2): a server notice whose one field is a string of decimal
 * digits.
 */
class PreKeysLowCodecTest {
  private final WireCodec codec = new WireCodec();

  private WireMessage decode(String json) throws MalformedMessageException {
    return codec.decode(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void encodesAsDocumented_andDecodesBack() throws Exception {
    byte[] json = codec.encode(new WireMessage.PreKeysLow("24"));

    assertThat(new String(json, StandardCharsets.UTF_8))
        .isEqualTo("{\"type\":\"preKeysLow\",\"count\":\"24\"}");
    assertThat(codec.decode(json)).isEqualTo(new WireMessage.PreKeysLow("24"));
    assertThat(decode("{\"type\":\"preKeysLow\",\"count\":\"0\"}"))
        .isEqualTo(new WireMessage.PreKeysLow("0"));
  }

  @Test
  void countThatIsNotAStringOfDecimalDigits_isMalformed() {
    for (String count :
        new String[] {
          "24", "\"\"", "\"-1\"", "\"024\"", "\"1e2\"", "\" 1\"", "\"1234567890\"", "null"
        }) {
      assertThatThrownBy(() -> decode("{\"type\":\"preKeysLow\",\"count\":" + count + "}"))
          .as(count)
          .isInstanceOf(MalformedMessageException.class);
    }
    assertThatThrownBy(() -> decode("{\"type\":\"preKeysLow\"}"))
        .isInstanceOf(MalformedMessageException.class);
  }
}
