package com.securecom.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.vectors.WireVectorsGenerator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class WireCodecTest {
  private static final WireCodec CODEC = new WireCodec();

  /** Field names of each type, other than {@code type}; ids are in {@code id}. */
  private static final Map<String, List<String>> FIELDS =
      Map.ofEntries(
          Map.entry("auth", List.of("token")),
          Map.entry("ready", List.of("username")),
          Map.entry("send", List.of("id", "to", "envelope")),
          Map.entry("accepted", List.of("id")),
          Map.entry("deliver", List.of("id", "from", "envelope", "sentAt")),
          Map.entry("ack", List.of("id", "from")),
          Map.entry("delivered", List.of("id", "to")),
          Map.entry("relayed", List.of("id", "to")),
          Map.entry("receiptAck", List.of("id")),
          Map.entry("ping", List.<String>of()),
          Map.entry("pong", List.<String>of()),
          Map.entry("caughtUp", List.<String>of()),
          Map.entry("error", List.of("code", "message")));

  private static WireMessage decode(String json) throws MalformedMessageException {
    return CODEC.decode(json.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertMalformed(String json) {
    String shown = json.length() > 100 ? json.substring(0, 100) + "..." : json;
    assertThatThrownBy(() -> decode(json))
        .as(shown)
        .isExactlyInstanceOf(MalformedMessageException.class);
  }

  /** A valid message of {@code type} as JSON, every field "x" except ids, which are "m1". */
  private static String valid(String type, String leaveOut, String replaceWith) {
    StringBuilder json = new StringBuilder("{\"type\":\"" + type + "\"");
    for (String field : FIELDS.get(type)) {
      if (field.equals(leaveOut)) {
        if (replaceWith != null) {
          json.append(",\"").append(field).append("\":").append(replaceWith);
        }
        continue;
      }
      json.append(",\"")
          .append(field)
          .append("\":\"")
          .append(field.equals("id") ? "m1" : "x")
          .append('"');
    }
    return json.append('}').toString();
  }

  static Stream<WireMessage> everyMessageType() {
    return WireVectorsGenerator.canonicalMessages().stream();
  }

  static Stream<Arguments> everyField() {
    return FIELDS.entrySet().stream()
        .flatMap(e -> e.getValue().stream().map(field -> Arguments.of(e.getKey(), field)));
  }

  static Stream<Arguments> everyIdField() {
    return everyField().filter(a -> a.get()[1].equals("id"));
  }

  @ParameterizedTest
  @MethodSource("everyMessageType")
  void everyMessageType_roundTrips(WireMessage message) throws Exception {
    assertThat(CODEC.decode(CODEC.encode(message))).isEqualTo(message);
  }

  @Test
  void roundTrip_coversEveryMessageType() {
    assertThat(everyMessageType().map(WireMessage::type).distinct())
        .containsExactlyInAnyOrderElementsOf(
            Stream.concat(FIELDS.keySet().stream(), Stream.of("devicesChanged")).toList());
  }

  @Test
  void encode_writesCompactUtf8JsonWithTypeFirst() {
    byte[] json = CODEC.encode(new WireMessage.Ready("z\u00fcrich \"q\""));

    assertThat(new String(json, StandardCharsets.UTF_8))
        .isEqualTo("{\"type\":\"ready\",\"username\":\"z\u00fcrich \\\"q\\\"\"}");
  }

  @Test
  void errorWithoutId_leavesTheIdOut() throws Exception {
    WireMessage.Error error = new WireMessage.Error(null, "queue_full", "recipient queue is full");

    assertThat(new String(CODEC.encode(error), StandardCharsets.UTF_8)).doesNotContain("\"id\"");
    assertThat(CODEC.decode(CODEC.encode(error))).isEqualTo(error);
  }

  @Test
  void unknownFields_areIgnored() throws Exception {
    assertThat(
            decode(
                "{\"type\":\"accepted\",\"id\":\"m1\",\"extra\":[1,{\"a\":null}],\"more\":\"x\"}"))
        .isEqualTo(new WireMessage.Accepted("m1"));
  }

  @Test
  void keyOrderAndWhitespace_doNotMatter() throws Exception {
    assertThat(decode(" {\n\"id\" : \"m1\" ,\t\"type\":\"receiptAck\"}\r\n"))
        .isEqualTo(new WireMessage.ReceiptAck("m1"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "x",
        "{",
        "}",
        "{\"type\":\"accepted\",\"id\":\"m1\"",
        "{type:\"accepted\"}",
        "{'type':'accepted','id':'m1'}",
        "{\"type\":\"accepted\",\"id\":\"m1\",}",
        "\"unterminated",
        "{\"type\":\"accepted\",\"id\":\"m1\",\"n\":1e9999999999}",
        "{\"type\":\"accepted\",\"id\":\"m1\",\"n\":NaN}"
      })
  void nonJson_isMalformed(String input) {
    assertMalformed(input);
  }

  @Test
  void deeplyNestedJson_isMalformed() {
    assertMalformed(
        "{\"type\":\"accepted\",\"id\":\"m1\",\"n\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
  }

  @Test
  void invalidUtf8_isMalformed() {
    byte[] input = {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xc3, '"', '}'};

    assertThatThrownBy(() -> CODEC.decode(input))
        .isExactlyInstanceOf(MalformedMessageException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[]",
        "[{\"type\":\"accepted\",\"id\":\"m1\"}]",
        "\"accepted\"",
        "42",
        "-1.5",
        "true",
        "false",
        "null"
      })
  void nonObject_isMalformed(String input) {
    assertThatThrownBy(() -> decode(input))
        .isExactlyInstanceOf(MalformedMessageException.class)
        .hasMessage("message is not a JSON object");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"id\":\"m1\"}",
        "{\"type\":null,\"id\":\"m1\"}",
        "{\"type\":1,\"id\":\"m1\"}",
        "{\"type\":[\"accepted\"],\"id\":\"m1\"}",
        "{\"type\":{},\"id\":\"m1\"}",
        "{\"type\":true,\"id\":\"m1\"}"
      })
  void missingOrNonStringType_isMalformed(String input) {
    assertThatThrownBy(() -> decode(input))
        .isExactlyInstanceOf(MalformedMessageException.class)
        .hasMessage("field 'type' must be a string");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "hello", "Accepted", "ACK", "send ", "receipt_ack", "receiptack", "deliverd"})
  void unknownType_isMalformed(String type) {
    assertThatThrownBy(() -> decode("{\"type\":\"" + type + "\",\"id\":\"m1\"}"))
        .isExactlyInstanceOf(MalformedMessageException.class)
        .hasMessage("unknown message type");
  }

  @ParameterizedTest(name = "{0}.{1}")
  @MethodSource("everyField")
  void missingField_isMalformed(String type, String field) throws Exception {
    assertThat(decode(valid(type, null, null)).type()).isEqualTo(type);
    if (type.equals("error") && field.equals("id")) {
      return;
    }
    assertMalformed(valid(type, field, null));
  }

  @ParameterizedTest(name = "{0}.{1}")
  @MethodSource("everyField")
  void nonStringField_isMalformed(String type, String field) {
    for (String value :
        List.of("1", "0.5", "null", "true", "false", "{}", "[]", "[\"x\"]", "{\"x\":\"y\"}")) {
      assertMalformed(valid(type, field, value));
    }
  }

  @ParameterizedTest(name = "{0}.{1}")
  @MethodSource("everyIdField")
  void badId_isMalformed(String type, String field) {
    for (String id :
        List.of(
            "",
            "a".repeat(65),
            "m 1",
            "m.1",
            "m/1",
            "m+1",
            "m=1",
            "m:1",
            "m\u00e91",
            "m\\u00001",
            "\\u0000",
            " m1",
            "m1 ",
            "m1\\n",
            "\u0661\u0662",
            "m\\u20281")) {
      assertThatThrownBy(() -> decode(valid(type, field, "\"" + id + "\"")))
          .as("id %s", id)
          .isExactlyInstanceOf(MalformedMessageException.class)
          .hasMessage("id must be 1-64 characters of [A-Za-z0-9_-]");
    }
  }

  @ParameterizedTest(name = "{0}.{1}")
  @MethodSource("everyIdField")
  void goodId_isAccepted(String type, String field) throws Exception {
    for (String id :
        List.of(
            "a", "a".repeat(64), "AZaz09_-", "0b7f5b2c-8a7e-4b39-9a55-3f1c2d4e6a01", "_", "-")) {
      assertThat(decode(valid(type, field, "\"" + id + "\""))).as("id %s", id).isNotNull();
    }
  }

  @Test
  void errorIdOfNull_isMalformed() {
    assertMalformed("{\"type\":\"error\",\"id\":null,\"code\":\"queue_full\",\"message\":\"x\"}");
  }

  @Test
  void byteOrderMark_isMalformed() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] ping = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
    byte[] input = new byte[bom.length + ping.length];
    System.arraycopy(bom, 0, input, 0, bom.length);
    System.arraycopy(ping, 0, input, bom.length, ping.length);

    assertThatThrownBy(() -> CODEC.decode(input))
        .isExactlyInstanceOf(MalformedMessageException.class)
        .hasMessage("message starts with a byte-order mark");
  }

  @ParameterizedTest
  @ValueSource(strings = {"c0af", "eda080", "f4908080", "80", "e282", "fe"})
  void malformedUtf8Anywhere_isMalformed(String badHex) {
    byte[] bad = java.util.HexFormat.of().parseHex(badHex);
    byte[] head = "{\"type\":\"ping\",\"x\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] input = new byte[head.length + bad.length + 2];
    System.arraycopy(head, 0, input, 0, head.length);
    System.arraycopy(bad, 0, input, head.length, bad.length);
    input[input.length - 2] = '"';
    input[input.length - 1] = '}';

    assertThatThrownBy(() -> CODEC.decode(input))
        .isExactlyInstanceOf(MalformedMessageException.class)
        .hasMessage("message is not valid UTF-8");
  }

  @Test
  void utf16Input_isMalformed() {
    byte[] input = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_16LE);

    assertThatThrownBy(() -> CODEC.decode(input))
        .isExactlyInstanceOf(MalformedMessageException.class);
  }

  @Test
  void authVersion_isOptional_writtenOnlyAbove1() throws Exception {
    assertThat(decode("{\"type\":\"auth\",\"token\":\"t\"}"))
        .isEqualTo(new WireMessage.Auth("t", 1));
    assertThat(decode("{\"type\":\"auth\",\"token\":\"t\",\"version\":2}"))
        .isEqualTo(new WireMessage.Auth("t", 2));
    assertThat(new String(CODEC.encode(new WireMessage.Auth("t")), StandardCharsets.UTF_8))
        .isEqualTo("{\"type\":\"auth\",\"token\":\"t\"}");
    assertThat(new String(CODEC.encode(new WireMessage.Ready("bob", 2)), StandardCharsets.UTF_8))
        .isEqualTo("{\"type\":\"ready\",\"username\":\"bob\",\"version\":2}");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"\"2\"", "2.0", "2e0", "0", "-1", "null", "true", "[2]", "01", "1234567890"})
  void badVersion_isMalformed(String version) {
    assertMalformed("{\"type\":\"auth\",\"token\":\"t\",\"version\":" + version + "}");
  }

  @Test
  void caughtUp_hasNoFields() throws Exception {
    assertThat(new String(CODEC.encode(new WireMessage.CaughtUp()), StandardCharsets.UTF_8))
        .isEqualTo("{\"type\":\"caughtUp\"}");
    assertThat(decode("{\"type\":\"caughtUp\"}")).isEqualTo(new WireMessage.CaughtUp());
  }

  @Test
  void authToString_redactsTheToken() {
    assertThat(new WireMessage.Auth("secret-bearer-token").toString())
        .doesNotContain("secret-bearer-token")
        .contains("[REDACTED]");
  }
}
