package com.securecom.protocol.devices;

import static com.securecom.protocol.vectors.VectorFiles.hex;
import static com.securecom.protocol.vectors.VectorFiles.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.KeySignatures;
import com.securecom.protocol.vectors.DeviceVectorsGenerator;
import com.securecom.protocol.vectors.VectorFiles;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The devices package reproduces every case of {@code /vectors/devices.json}. */
class DeviceVectorsTest {
  static final JsonObject FILE = VectorFiles.load("/vectors/devices.json");
  static final JsonObject ALICE_KEY = FILE.getJsonObject("alice").getJsonObject("identityKey");
  static final String ALICE = FILE.getJsonObject("alice").getString("username");
  static final byte[] ALICE_PUBLIC = unhex(ALICE_KEY.getString("publicKey"));

  static Stream<Arguments> cases(String array) {
    return FILE.getJsonArray(array).getValuesAs(JsonObject.class).stream()
        .map(c -> Arguments.of(c.getString("name"), c));
  }

  static Stream<Arguments> lists() {
    return cases("lists");
  }

  static Stream<Arguments> refused() {
    return cases("refused");
  }

  static Stream<Arguments> successors() {
    return cases("successors");
  }

  static Stream<Arguments> signedPreKeys() {
    return cases("signedPreKeys");
  }

  static SignedDeviceList signed(JsonObject json) {
    return new SignedDeviceList(unhex(json.getString("body")), unhex(json.getString("signature")));
  }

  static long number(JsonObject json, String member) {
    return json.getJsonNumber(member).longValueExact();
  }

  @Test
  void keys_andLabels_areTheImplementations() {
    assertThat(hex(Ed25519.publicKey(unhex(ALICE_KEY.getString("privateKey")))))
        .isEqualTo(ALICE_KEY.getString("publicKey"));
    assertThat(FILE.getString("label")).isEqualTo(DeviceList.LABEL);
    assertThat(KeySignatures.signedPreKeyMessageV3(1, 0, 0, new byte[32]))
        .startsWith(FILE.getString("signedPreKeyLabel").getBytes(StandardCharsets.US_ASCII));
    assertThat(FILE.getJsonArray("refused")).hasSizeGreaterThan(30);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lists")
  void list_encodesVerifiesAndParsesToItsFields(String name, JsonObject c) throws Exception {
    List<DeviceEntry> entries =
        c.getJsonArray("entries").getValuesAs(JsonObject.class).stream()
            .map(e -> new DeviceEntry((int) number(e, "deviceId"), number(e, "createdAt")))
            .toList();
    DeviceList made =
        DeviceList.of(
            c.getString("username"),
            unhex(c.getString("identityKey")),
            number(c, "serial"),
            number(c, "issuedAt"),
            (int) number(c, "lastDeviceId"),
            entries);

    assertThat(hex(made.encode())).isEqualTo(c.getString("body"));
    assertThat(
            hex(SignedDeviceList.sign(made, unhex(ALICE_KEY.getString("privateKey"))).signature()))
        .isEqualTo(c.getString("signature"));
    DeviceList verified = signed(c).verify(c.getString("username"), ALICE_PUBLIC);
    assertThat(verified).isEqualTo(made);
    assertThat(verified.entries()).isEqualTo(entries);
    assertThat(verified.serial()).isEqualTo(number(c, "serial"));
    assertThat(verified.issuedAt()).isEqualTo(number(c, "issuedAt"));
    assertThat(verified.lastDeviceId()).isEqualTo(number(c, "lastDeviceId"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusedList_isRefusedForItsReason(String name, JsonObject c) {
    assertThatThrownBy(
            () -> signed(c).verify(c.getString("username"), unhex(c.getString("identityKey"))))
        .isInstanceOfSatisfying(
            DeviceListRefusedException.class,
            e -> assertThat(e.reason().code()).isEqualTo(c.getString("reason")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("successors")
  void servedList_getsTheDocumentedVerdict(String name, JsonObject c) throws Exception {
    DeviceList pinned =
        c.isNull("pinned") ? null : signed(c.getJsonObject("pinned")).verify(ALICE, ALICE_PUBLIC);
    SignedDeviceList served = c.isNull("served") ? null : signed(c.getJsonObject("served"));

    DeviceTrust.Verdict verdict = DeviceTrust.check(ALICE, ALICE_PUBLIC, pinned, served);

    assertThat(DeviceVectorsGenerator.verdictCode(verdict)).isEqualTo(c.getString("verdict"));
    assertThat(verdict instanceof DeviceTrust.Accepted).isEqualTo(c.getBoolean("accept"));
    if (verdict instanceof DeviceTrust.Accepted accepted) {
      assertThat(accepted.added()).isEqualTo(ints(c, "added"));
      assertThat(accepted.removed()).isEqualTo(ints(c, "removed"));
      assertThat(accepted.signed()).isEqualTo(served);
      assertThat(Succession.isDescendant(pinned, accepted.list())).isTrue();
      assertThat(Succession.isSuccessor(pinned, accepted.list()))
          .isEqualTo(c.getBoolean("successor"));
      if (c.getBoolean("successor")) {
        assertThat(Succession.change(pinned, accepted.list()).name().toLowerCase(Locale.ROOT))
            .isEqualTo(c.getString("change"));
      }
    } else {
      assertThat(c.getBoolean("successor")).isFalse();
    }
  }

  private static List<Integer> ints(JsonObject c, String member) {
    return c.getJsonArray(member).getValuesAs(JsonNumber.class).stream()
        .map(JsonNumber::intValueExact)
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("signedPreKeys")
  void signedPreKey_verifiesExactlyForItsDevice(String name, JsonObject c) {
    byte[] signedMessage = unhex(c.getString("signedMessage"));
    byte[] signature = unhex(c.getString("signature"));
    int deviceId = (int) number(c, "deviceId");
    long keyId = number(c, "keyId");
    long createdAt = number(c, "createdAt");
    byte[] publicKey = unhex(c.getString("publicKey"));

    assertThat(
            SignedPreKeys.verifies(ALICE_PUBLIC, deviceId, keyId, createdAt, publicKey, signature))
        .isEqualTo(c.getBoolean("valid"));
    if (c.getBoolean("valid") && signedMessage[25] == '3') {
      assertThat(KeySignatures.signedPreKeyMessageV3(deviceId, keyId, createdAt, publicKey))
          .isEqualTo(signedMessage);
    }
  }
}
