package com.securecom.client.e2e;

import static com.securecom.protocol.vectors.VectorFiles.hex;
import static com.securecom.protocol.vectors.VectorFiles.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.groups.GroupStateJson;
import com.securecom.protocol.vectors.VectorFiles;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Envelope} and {@link MessagePayload} reproduce {@code /vectors/envelope.json}. */
class EnvelopeVectorsTest {
  private static final JsonObject FILE = VectorFiles.load("/vectors/envelope.json");

  private static Stream<Arguments> cases(JsonObject parent, String array) {
    return parent.getJsonArray(array).getValuesAs(JsonObject.class).stream()
        .map(c -> Arguments.of(c.getString("name"), c));
  }

  static Stream<Arguments> valid() {
    return cases(FILE, "valid");
  }

  static Stream<Arguments> invalid() {
    return cases(FILE, "invalid");
  }

  static Stream<Arguments> validPayloads() {
    return cases(FILE.getJsonObject("payloads"), "valid");
  }

  static Stream<Arguments> invalidPayloads() {
    return cases(FILE.getJsonObject("payloads"), "invalid");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void validEnvelope_parsesToItsFieldsAndEncodesBack(String name, JsonObject c) throws Exception {
    Envelope envelope = Envelope.parse(unhex(c.getString("envelope")));

    assertThat(hex(envelope.header().ratchetKey())).isEqualTo(c.getString("ratchetKey"));
    assertThat(envelope.header().previousCounter())
        .isEqualTo(c.getJsonNumber("previousCounter").longValueExact());
    assertThat(envelope.header().counter()).isEqualTo(c.getJsonNumber("counter").longValueExact());
    assertThat(hex(envelope.ciphertext())).isEqualTo(c.getString("ciphertext"));
    if (c.getString("type").equals("preKey")) {
      PreKeyHeader p = ((Envelope.PreKeyMessage) envelope).preKey();
      assertThat(hex(p.identityKey())).isEqualTo(c.getString("identityKey"));
      assertThat(hex(p.identityDhKey())).isEqualTo(c.getString("identityDhKey"));
      assertThat(hex(p.baseKey())).isEqualTo(c.getString("baseKey"));
      assertThat(p.signedPreKeyId()).isEqualTo(c.getJsonNumber("signedPreKeyId").longValueExact());
      assertThat(p.oneTimePreKeyId())
          .isEqualTo(
              c.containsKey("oneTimePreKeyId")
                  ? OptionalLong.of(c.getJsonNumber("oneTimePreKeyId").longValueExact())
                  : OptionalLong.empty());
    } else {
      assertThat(envelope).isInstanceOf(Envelope.NormalMessage.class);
    }
    assertThat(hex(envelope.toBytes())).isEqualTo(c.getString("envelope"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidEnvelope_isRefused(String name, JsonObject c) {
    assertThatThrownBy(() -> Envelope.parse(unhex(c.getString("envelope"))))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessage("decryption failed");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validPayloads")
  void validPayload_decodesToItsFields(String name, JsonObject c) {
    MessagePayload payload =
        MessagePayload.decode(c.getString("json").getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertThat(payload.id()).isEqualTo(c.getString("id"));
    assertThat(MessagePayload.formatInstant(payload.sentAt())).isEqualTo(c.getString("sentAt"));
    assertThat(payload.fromDevice()).isEqualTo(c.getInt("fromDevice"));
    assertThat(payload.toDevice()).isEqualTo(c.getInt("toDevice"));
    if (c.getString("type").equals("text")) {
      assertThat(((MessagePayload.Text) payload).body()).isEqualTo(c.getString("body"));
    } else if (c.getString("type").equals("groupText")) {
      MessagePayload.GroupText text = (MessagePayload.GroupText) payload;
      assertThat(text.group().hex()).isEqualTo(c.getString("group"));
      assertThat(text.body()).isEqualTo(c.getString("body"));
    } else if (c.getString("type").equals("groupUpdate")) {
      assertThat(GroupStateJson.toJson(((MessagePayload.GroupUpdate) payload).group()))
          .isEqualTo(c.getJsonObject("group"));
    } else if (c.getString("type").equals("sent")) {
      MessagePayload.Sent sent = (MessagePayload.Sent) payload;
      assertThat(sent.to()).isEqualTo(c.getString("to"));
      assertThat(sent.body()).isEqualTo(c.getString("body"));
    } else {
      MessagePayload.Receipt receipt = (MessagePayload.Receipt) payload;
      assertThat(receipt.kind().wire()).isEqualTo(c.getString("receipt"));
      assertThat(receipt.of())
          .isEqualTo(
              c.getJsonArray("of").getValuesAs(jakarta.json.JsonString.class).stream()
                  .map(jakarta.json.JsonString::getString)
                  .toList());
    }
    if (c.getBoolean("canonical")) {
      assertThat(new String(payload.encode(), StandardCharsets.UTF_8))
          .isEqualTo(c.getString("json"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPayloads")
  void invalidPayload_isRefused(String name, JsonObject c) {
    assertThat(MessagePayload.decode(c.getString("json").getBytes(StandardCharsets.UTF_8)))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validPadding")
  void validPadding_padsAndUnpads(String name, JsonObject c) throws Exception {
    assertThat(hex(Padding.pad(unhex(c.getString("content"))))).isEqualTo(c.getString("padded"));
    assertThat(hex(Padding.unpad(unhex(c.getString("padded"))))).isEqualTo(c.getString("content"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPadding")
  void invalidPadding_isRefused(String name, JsonObject c) {
    assertThatThrownBy(() -> Padding.unpad(unhex(c.getString("padded"))))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessage("decryption failed");
  }

  static Stream<Arguments> validPadding() {
    return cases(FILE.getJsonObject("padding"), "valid");
  }

  static Stream<Arguments> invalidPadding() {
    return cases(FILE.getJsonObject("padding"), "invalid");
  }
}
