package com.securecom.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.vectors.WireVectorsGenerator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Relay message version 4 (linked devices, not yet served): each new member round-trips, is written
 * only when present, and says which version it needs; the records refuse what the protocol refuses,
 * so the encoder cannot write it.
 */
class WireVersion4Test {
  private static final WireCodec CODEC = new WireCodec();
  private static final String E = "AAEC";

  private static WireMessage decode(String json) throws MalformedMessageException {
    return CODEC.decode(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String encode(WireMessage message) {
    return new String(CODEC.encode(message), StandardCharsets.UTF_8);
  }

  static Stream<WireMessage> version4Messages() {
    return WireVectorsGenerator.canonicalMessages().stream()
        .filter(m -> m.minimumVersion() == WireMessage.DEVICES_VERSION);
  }

  @ParameterizedTest
  @MethodSource("version4Messages")
  void everyVersion4Message_roundTrips(WireMessage message) throws Exception {
    assertThat(decode(encode(message))).isEqualTo(message);
  }

  @Test
  void everyNewOrChangedType_hasAVersion4Example() {
    assertThat(version4Messages().map(WireMessage::type).distinct())
        .containsExactlyInAnyOrder(
            "ready",
            "send",
            "deliver",
            "ack",
            "delivered",
            "relayed",
            "receiptAck",
            "error",
            "devicesChanged");
  }

  @Test
  void theOldConstructors_buildVersion1To3MessagesWithoutDeviceMembers() {
    assertThat(encode(new WireMessage.Deliver("m1", "alice", E, "t")))
        .isEqualTo(
            "{\"type\":\"deliver\",\"id\":\"m1\",\"from\":\"alice\",\"envelope\":\"AAEC\",\"sentAt\":\"t\"}");
    assertThat(encode(new WireMessage.ReceiptAck("m1")))
        .isEqualTo("{\"type\":\"receiptAck\",\"id\":\"m1\"}");
    assertThat(encode(new WireMessage.Error("m1", "c", "m")))
        .isEqualTo("{\"type\":\"error\",\"id\":\"m1\",\"code\":\"c\",\"message\":\"m\"}");
    assertThat(new WireMessage.Ack("m1", "alice").device()).isZero();
    assertThat(new WireMessage.Send("m1", "bob", E).copies()).isNull();
    assertThat(new WireMessage.Ready("alice", 3).device()).isZero();
  }

  @Test
  void minimumVersion_isTheVersionThatIntroducedTheTypeOrMember() {
    assertThat(new WireMessage.Ack("m1", "alice").minimumVersion()).isEqualTo(1);
    assertThat(new WireMessage.CaughtUp().minimumVersion()).isEqualTo(2);
    assertThat(new WireMessage.PreKeysLow("3").minimumVersion()).isEqualTo(2);
    assertThat(new WireMessage.Relayed("m1", "bob").minimumVersion()).isEqualTo(3);
    assertThat(new WireMessage.Relayed("m1", "bob", 2).minimumVersion()).isEqualTo(4);
    assertThat(new WireMessage.Ack("m1", "alice", 1).minimumVersion()).isEqualTo(4);
    assertThat(new WireMessage.Send("m1", List.of(new WireMessage.Copy("bob", 1, E))))
        .extracting(WireMessage::minimumVersion)
        .isEqualTo(4);
    assertThat(new WireMessage.DevicesChanged(1).minimumVersion()).isEqualTo(4);
  }

  @Test
  void aSend_hasExactlyOneForm() {
    List<WireMessage.Copy> one = List.of(new WireMessage.Copy("bob", 1, E));
    assertThatThrownBy(() -> new WireMessage.Send("m1", "bob", E, one))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WireMessage.Send("m1", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    List<WireMessage.Copy> many = new ArrayList<>();
    for (int d = 1; d <= WireMessage.MAX_COPIES + 1; d++) {
      many.add(new WireMessage.Copy("bob", d, E));
    }
    assertThatThrownBy(() -> new WireMessage.Send("m1", many))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 0, 1_000_000_000})
  void aCopy_refusesADeviceOutsideTheRule(int device) {
    assertThatThrownBy(() -> new WireMessage.Copy("bob", device, E))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theRecords_refuseWhatTheDecoderRefuses() {
    assertThatThrownBy(() -> new WireMessage.Ready("alice", 4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WireMessage.Ready("alice", 3, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WireMessage.ReceiptAck("m1", "bob", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WireMessage.DevicesChanged(WireMessage.MAX_SERIAL + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WireMessage.UserDevices("bob", 1, List.of(2, 2)))
        .isInstanceOf(IllegalArgumentException.class);
    WireMessage.UserDevices bob = new WireMessage.UserDevices("bob", 1, List.of(1));
    assertThatThrownBy(() -> new WireMessage.Error("m1", "c", "m", List.of(bob, bob)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WireMessage.Error("m1", "c", "m", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aNumberIsJudgedAsWritten_atItsOwnPath() throws Exception {
    // a member name that looks like a path cannot stand in for the copy's device
    assertThatThrownBy(
            () ->
                decode(
                    "{\"type\":\"send\",\"id\":\"m1\",\"copies\":[{\"to\":\"b\",\"device\":1e0,"
                        + "\"envelope\":\"AAEC\"}],\"copies/0/device\":1}"))
        .isExactlyInstanceOf(MalformedMessageException.class);
    // of repeated members the last counts, for the value and for how it is written
    assertThat(
            decode("{\"type\":\"ack\",\"id\":\"m1\",\"from\":\"a\",\"device\":1e0,\"device\":2}"))
        .isEqualTo(new WireMessage.Ack("m1", "a", 2));
    assertThatThrownBy(
            () ->
                decode(
                    "{\"type\":\"ack\",\"id\":\"m1\",\"from\":\"a\",\"device\":2,\"device\":1e0}"))
        .isExactlyInstanceOf(MalformedMessageException.class);
  }

  /** Random version 4 messages within the rules survive a round trip byte for byte. Seeded. */
  @Test
  void randomVersion4Messages_roundTrip() throws Exception {
    Random random = new Random(4);
    for (int n = 0; n < 2000; n++) {
      List<WireMessage.Copy> copies = new ArrayList<>();
      for (int c = 1 + random.nextInt(WireMessage.MAX_COPIES); c > 0; c--) {
        copies.add(new WireMessage.Copy("u" + random.nextInt(3), device(random), E));
      }
      List<Integer> ids = new ArrayList<>();
      for (int id = 1 + random.nextInt(3);
          ids.size() < random.nextInt(5);
          id += 1 + random.nextInt(9)) {
        ids.add(id);
      }
      long serial = random.nextLong(WireMessage.MAX_SERIAL + 1);
      for (WireMessage message :
          List.<WireMessage>of(
              new WireMessage.Send("m" + n, copies),
              new WireMessage.Deliver("m" + n, "a", device(random), E, "t"),
              new WireMessage.ReceiptAck("m" + n, "b", device(random)),
              new WireMessage.Error(
                  "m" + n,
                  "stale_devices",
                  "m",
                  List.of(new WireMessage.UserDevices("b", serial, ids))),
              new WireMessage.DevicesChanged(serial))) {
        byte[] encoded = CODEC.encode(message);
        assertThat(CODEC.decode(encoded)).isEqualTo(message);
        assertThat(CODEC.encode(CODEC.decode(encoded))).isEqualTo(encoded);
      }
    }
  }

  private static int device(Random random) {
    return random.nextBoolean() ? 1 + random.nextInt(16) : 1 + random.nextInt(999_999_999);
  }
}
