package com.securecom.protocol.devices;

import static com.securecom.protocol.vectors.VectorFiles.hex;
import static com.securecom.protocol.vectors.VectorFiles.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.vectors.VectorFiles;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link LinkCode} and {@link ProvisioningCipher} reproduce {@code /vectors/link.json}. */
class LinkVectorsTest {
  private static final JsonObject FILE = VectorFiles.load("/vectors/link.json");
  private static final JsonObject CODES = FILE.getJsonObject("codes");
  private static final JsonObject PROVISIONING = FILE.getJsonObject("provisioning");

  private static Stream<Arguments> cases(JsonObject parent, String member) {
    return parent.getJsonArray(member).stream()
        .map(JsonValue::asJsonObject)
        .map(c -> Arguments.of(c.getString("name"), c));
  }

  static Stream<Arguments> validCodes() {
    return cases(CODES, "valid");
  }

  static Stream<Arguments> readableCodes() {
    return cases(CODES, "readable");
  }

  static Stream<Arguments> refusedCodes() {
    return cases(CODES, "refused");
  }

  static Stream<Arguments> refusedMessages() {
    return cases(PROVISIONING, "refused");
  }

  private static LinkCode firstCode() {
    JsonObject c = CODES.getJsonArray("valid").getJsonObject(0);
    return new LinkCode(
        unhex(c.getString("ephemeralKey")),
        unhex(c.getString("secret")),
        c.getJsonNumber("expiresAt").longValueExact());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validCodes")
  void aValidCode_encodesToItsBytesTextAndMailbox_andReadsBack(String name, JsonObject c)
      throws Exception {
    LinkCode code =
        new LinkCode(
            unhex(c.getString("ephemeralKey")),
            unhex(c.getString("secret")),
            c.getJsonNumber("expiresAt").longValueExact());
    assertThat(hex(code.toBytes())).isEqualTo(c.getString("bytes"));
    assertThat(code.text()).isEqualTo(c.getString("text"));
    assertThat(code.qrText()).isEqualTo(c.getString("qrText"));
    assertThat(hex(code.mailboxId())).isEqualTo(c.getString("mailboxId"));
    assertThat(hex(LinkCode.read(c.getString("text")).toBytes())).isEqualTo(c.getString("bytes"));
    assertThat(hex(LinkCode.read(c.getString("qrText")).toBytes())).isEqualTo(c.getString("bytes"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readableCodes")
  void aCodeAsPeopleTypeIt_readsToTheSameBytes(String name, JsonObject c) throws Exception {
    assertThat(hex(LinkCode.read(c.getString("text")).toBytes())).isEqualTo(c.getString("bytes"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedCodes")
  void anUnusableCode_isRefusedForItsReason(String name, JsonObject c) {
    assertThatThrownBy(() -> LinkCode.read(c.getString("text")))
        .isInstanceOfSatisfying(
            LinkCodeException.class,
            e ->
                assertThat(e.reason().name().toLowerCase(Locale.ROOT))
                    .isEqualTo(c.getString("reason")));
  }

  @org.junit.jupiter.api.Test
  void theValidMessage_isWhatSealingWrites_andOpensToItsHeaderAndPlaintext() throws Exception {
    JsonObject v = PROVISIONING.getJsonObject("valid");
    byte[] plaintext = v.getString("plaintext").getBytes(StandardCharsets.UTF_8);
    byte[] sealed =
        ProvisioningCipher.seal(
            firstCode(),
            unhex(v.getString("linkingPrivateKey")),
            v.getInt("linkingDeviceId"),
            v.getInt("newDeviceId"),
            v.getString("username"),
            plaintext);
    assertThat(hex(sealed)).isEqualTo(v.getString("message"));
    JsonObject c = CODES.getJsonArray("valid").getJsonObject(0);
    ProvisioningCipher.Opened opened =
        ProvisioningCipher.open(
            firstCode(), unhex(c.getString("ephemeralPrivateKey")), unhex(v.getString("message")));
    assertThat(opened.plaintext()).isEqualTo(plaintext);
    assertThat(hex(opened.header().linkingKey())).isEqualTo(v.getString("linkingKey"));
    assertThat(opened.header().linkingDeviceId()).isEqualTo(v.getInt("linkingDeviceId"));
    assertThat(opened.header().newDeviceId()).isEqualTo(v.getInt("newDeviceId"));
    assertThat(opened.header().username()).isEqualTo(v.getString("username"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedMessages")
  void aTamperedOrForeignMessage_failsToOpen(String name, JsonObject c) {
    JsonObject code = CODES.getJsonArray("valid").getJsonObject(0);
    assertThatThrownBy(
            () ->
                ProvisioningCipher.open(
                    firstCode(),
                    unhex(code.getString("ephemeralPrivateKey")),
                    unhex(c.getString("message"))))
        .isInstanceOf(DecryptionFailedException.class);
  }
}
