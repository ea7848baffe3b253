package com.securecom.protocol.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.vectors.DeviceListBytes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The body codec: the documented layout byte for byte, and one attempt per rule to get a body past
 * the parser that breaks it. Bodies are made by {@link DeviceListBytes}, which writes fields
 * without checking them.
 */
class DeviceListTest {
  static final byte[] KEY = Ed25519.publicKey(Bytes.sha256(Bytes.ascii("device list test key")));
  static final long MAX = (1L << 53) - 1;

  /** serial 7, issuedAt 1000, lastDeviceId 5, devices 1 (at 10) and 5 (at 20). */
  static DeviceListBytes valid() {
    return new DeviceListBytes()
        .username("alice")
        .identityKey(KEY)
        .serial(7)
        .issuedAt(1000)
        .lastDeviceId(5)
        .entry(1, 10)
        .entry(5, 20);
  }

  static void refused(byte[] body, String why) {
    assertThatThrownBy(() -> DeviceList.parse(body))
        .isInstanceOf(MalformedDeviceListException.class)
        .hasMessageContaining(why);
  }

  @Test
  void encode_writesTheDocumentedLayout() {
    DeviceList list =
        DeviceList.of(
            "alice", KEY, 7, 1000, 5, List.of(new DeviceEntry(1, 10), new DeviceEntry(5, 20)));
    byte[] expected =
        Bytes.concat(
            Bytes.ascii("SecureCom device list v1"),
            new byte[] {5},
            Bytes.ascii("alice"),
            KEY,
            ByteBuffer.allocate(8 + 8 + 4 + 1)
                .putLong(7)
                .putLong(1000)
                .putInt(5)
                .put((byte) 2)
                .array(),
            ByteBuffer.allocate(24).putInt(1).putLong(10).putInt(5).putLong(20).array());

    assertThat(list.encode()).isEqualTo(expected).isEqualTo(valid().build());
    assertThat(list.encode()).hasSize(24 + 1 + 5 + 32 + 8 + 8 + 4 + 1 + 12 * 2);
  }

  @Test
  void parse_givesBackTheFields_andReencodesToTheSameBytes() throws Exception {
    byte[] body = valid().build();
    DeviceList list = DeviceList.parse(body);

    assertThat(list.username()).isEqualTo("alice");
    assertThat(list.identityKey()).isEqualTo(KEY);
    assertThat(list.serial()).isEqualTo(7);
    assertThat(list.issuedAt()).isEqualTo(1000);
    assertThat(list.lastDeviceId()).isEqualTo(5);
    assertThat(list.entries()).containsExactly(new DeviceEntry(1, 10), new DeviceEntry(5, 20));
    assertThat(list.deviceIds()).containsExactly(1, 5);
    assertThat(list.contains(5)).isTrue();
    assertThat(list.contains(2)).isFalse();
    assertThat(list.encode()).isEqualTo(body);
  }

  @Test
  void largestValues_roundTrip() throws Exception {
    DeviceListBytes b = new DeviceListBytes().username("a".repeat(32)).identityKey(KEY).serial(MAX);
    b.issuedAt(MAX).lastDeviceId(999_999_999);
    for (int id = 999_999_984; id <= 999_999_999; id++) {
      b.entry(id, MAX);
    }
    assertThat(DeviceList.parse(b.build()).encode()).isEqualTo(b.build());
  }

  @Test
  void wrongLabel_isRefused() {
    refused(valid().label("SecureCom device list v2").build(), "label");
    refused(valid().label("SecureCom signed prekey v3").build(), "label");
  }

  @Test
  void truncatedBodies_areRefused_atEveryLength() {
    byte[] body = valid().build();
    for (int length = 0; length < body.length; length++) {
      byte[] cut = Arrays.copyOf(body, length);
      assertThatThrownBy(() -> DeviceList.parse(cut))
          .as("%d bytes", length)
          .isInstanceOf(MalformedDeviceListException.class);
    }
  }

  @Test
  void trailingBytes_areRefused() {
    refused(valid().trailing(new byte[] {0}).build(), "length does not match the count");
    refused(valid().trailing(new byte[12]).build(), "length does not match the count");
  }

  @Test
  void countThatDisagreesWithTheEntries_isRefused() {
    refused(valid().count(1).build(), "length does not match the count");
    refused(valid().count(3).build(), "length does not match the count");
  }

  @Test
  void countOutOfRange_isRefused() {
    refused(valid().clearEntries().build(), "count out of range: 0");
    DeviceListBytes seventeen = valid().clearEntries().lastDeviceId(17);
    for (int id = 1; id <= 17; id++) {
      seventeen.entry(id, 0);
    }
    refused(seventeen.build(), "count out of range: 17");
    refused(valid().count(255).build(), "count out of range: 255");
  }

  @Test
  void usernameOutsideTheRule_isRefused() {
    refused(valid().username("al").build(), "username length");
    refused(valid().username("a".repeat(33)).build(), "username length");
    refused(valid().usernameLength(0).build(), "username length");
    refused(valid().username("Alice").build(), "username does not follow the rule");
    refused(valid().username("al ce").build(), "username does not follow the rule");
    refused(valid().username("alic\u00e9").build(), "username is not ASCII");
    refused(valid().username("ali\u0000e").build(), "username does not follow the rule");
  }

  @Test
  void usernameLengthThatMisplacesTheFields_isRefused() {
    assertThatThrownBy(() -> DeviceList.parse(valid().usernameLength(4).build()))
        .isInstanceOf(MalformedDeviceListException.class);
    assertThatThrownBy(() -> DeviceList.parse(valid().usernameLength(6).build()))
        .isInstanceOf(MalformedDeviceListException.class);
  }

  @Test
  void serialOutOfRange_isRefused() {
    refused(valid().serial(0).build(), "serial out of range");
    refused(valid().serial(MAX + 1).build(), "serial out of range");
    refused(valid().serial(-1).build(), "serial out of range");
    refused(valid().serial(Long.MIN_VALUE).build(), "serial out of range");
  }

  @Test
  void issuedAtOrCreatedAtAbove2pow53minus1_isRefused() {
    refused(valid().issuedAt(MAX + 1).build(), "issuedAt out of range");
    refused(valid().issuedAt(-1).build(), "issuedAt out of range");
    refused(valid().clearEntries().entry(1, MAX + 1).build(), "entry out of range");
    refused(valid().clearEntries().entry(1, -1).build(), "entry out of range");
  }

  @Test
  void lastDeviceIdOutOfRange_isRefused() {
    refused(
        valid().lastDeviceId(0).clearEntries().entry(1, 0).build(), "lastDeviceId out of range");
    refused(valid().lastDeviceId(1_000_000_000).build(), "lastDeviceId out of range");
    refused(valid().lastDeviceId(0xFFFF_FFFFL).build(), "lastDeviceId out of range");
  }

  @Test
  void deviceIdOutOfRange_isRefused() {
    refused(valid().clearEntries().entry(0, 0).build(), "entry out of range");
    refused(valid().clearEntries().entry(0x8000_0001L, 0).build(), "entry out of range");
    refused(valid().clearEntries().entry(1, 0).entry(6, 0).build(), "device id above lastDeviceId");
  }

  @Test
  void duplicateOrUnsortedIds_areRefused() {
    refused(valid().clearEntries().entry(1, 10).entry(1, 10).build(), "not strictly increasing");
    refused(valid().clearEntries().entry(5, 20).entry(1, 10).build(), "not strictly increasing");
    refused(
        valid().clearEntries().entry(1, 10).entry(5, 20).entry(5, 21).build(),
        "not strictly increasing");
  }

  @Test
  void of_refusesWhatParseRefuses() {
    List<DeviceEntry> one = List.of(new DeviceEntry(1, 0));
    assertThatThrownBy(() -> DeviceList.of("Alice", KEY, 1, 0, 1, one))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeviceList.of("alice", new byte[31], 1, 0, 1, one))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeviceList.of("alice", KEY, 0, 0, 1, one))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeviceList.of("alice", KEY, MAX + 1, 0, 1, one))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeviceList.of("alice", KEY, 1, -1, 1, one))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeviceList.of("alice", KEY, 1, 0, 1, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                DeviceList.of(
                    "alice", KEY, 1, 0, 2, List.of(new DeviceEntry(2, 0), new DeviceEntry(1, 0))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeviceList.of("alice", KEY, 1, 0, 1, List.of(new DeviceEntry(2, 0))))
        .isInstanceOf(IllegalArgumentException.class);
    List<DeviceEntry> seventeen = new ArrayList<>();
    for (int id = 1; id <= 17; id++) {
      seventeen.add(new DeviceEntry(id, 0));
    }
    assertThatThrownBy(() -> DeviceList.of("alice", KEY, 1, 0, 17, seventeen))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DeviceEntry(0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DeviceEntry(1, MAX + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void identityKey_isCopiedInAndOut() throws Exception {
    byte[] key = KEY.clone();
    DeviceList list = DeviceList.of("alice", key, 1, 0, 1, List.of(new DeviceEntry(1, 0)));
    key[0] ^= 1;
    list.identityKey()[1] ^= 1;
    assertThat(list.identityKey()).isEqualTo(KEY);
  }
}
