package com.securecom.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictJsonTest {
  private static JsonObject parse(String text) {
    return StrictJson.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  private static void refused(byte[] body) {
    assertThatThrownBy(() -> StrictJson.parse(body)).isInstanceOf(InvalidJsonException.class);
  }

  private static void refused(String body) {
    refused(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void oneObject_isRead_withNumbersAsWritten() {
    JsonObject json =
        parse("{\"a\":\"x\",\"n\":-0,\"e\":1e2,\"f\":1.50,\"nested\":{\"list\":[1,true,null]}}");

    assertThat(json.getString("a")).isEqualTo("x");
    assertThat(json.get("n").toString()).isEqualTo("-0");
    assertThat(json.get("e").toString()).isEqualTo("1e2");
    assertThat(json.get("f").toString()).isEqualTo("1.50");
    assertThat(json.getJsonObject("nested").getJsonArray("list")).hasSize(3);
  }

  @Test
  void anythingButExactlyOneStrictObject_isRefused() {
    refused("");
    refused("[]");
    refused("\"text\"");
    refused("{\"a\":1}{}");
    refused("{\"a\":1} x");
    refused("{\"a\":1,\"a\":2}");
    refused("{\"a\":\"\\ud800\"}");
    refused("{\"\\udc00\":1}");
    refused("{a:1}");
    refused("{\"a\":1,}");
    refused("{\"a\":01}");
    refused("{\"a\":NaN}");
    refused("{\"a\":" + "[".repeat(StrictJson.MAX_DEPTH) + "]".repeat(StrictJson.MAX_DEPTH) + "}");
  }

  @Test
  void byteOrderMark_andInvalidUtf8_areRefused() {
    refused("\uFEFF{}");
    refused(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'});
    refused(
        new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'});
    refused(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'});
  }

  @Test
  void deepButAllowedNesting_andAPairedSurrogate_areRead() {
    int depth = StrictJson.MAX_DEPTH - 1;
    assertThat(parse("{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}")).containsKey("a");
    assertThat(parse("{\"a\":\"\\ud83d\\ude00\"}").getString("a")).isEqualTo("\uD83D\uDE00");
  }

  @Test
  void bodyOverTheLimit_isRefusedWithoutReadingIt() {
    byte[] huge = new byte[StrictJson.MAX_BYTES + 1];
    assertThatThrownBy(() -> StrictJson.read(new ByteArrayInputStream(huge)))
        .isInstanceOf(BodyTooLargeException.class);
  }

  @Test
  void hugeExponent_costsNothingUntilAskedFor() {
    JsonObject json = parse("{\"n\":1e999999999}");
    assertThat(json.get("n").toString()).isEqualTo("1e999999999");
  }
}
