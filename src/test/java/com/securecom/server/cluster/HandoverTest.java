package com.securecom.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.server.device.DeviceAddress;
import com.securecom.server.relay.StoredMessage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bytes one node hands another: every kind survives a round trip, and bad bytes are refused,
 * never guessed.
 */
class HandoverTest {
  private static final byte[] ENVELOPE =
      "opaque \u0000 ciphertext \u00ff".getBytes(StandardCharsets.UTF_8);

  private static StoredMessage message() {
    return new StoredMessage(
        42,
        "alice",
        3,
        "0f8e-id_1",
        "bob",
        999_999_999,
        ENVELOPE,
        1_700_000_000_123L,
        1_702_592_000_123L,
        null);
  }

  @Test
  void deliver_roundTrips_withEveryField() {
    StoredMessage sent = message();

    Handover decoded = Handover.decode(Handover.encode(new Handover.Deliver(sent)));

    assertThat(decoded).isInstanceOf(Handover.Deliver.class);
    StoredMessage got = ((Handover.Deliver) decoded).message();
    assertThat(got.seq()).isEqualTo(42);
    assertThat(got.from()).isEqualTo(new DeviceAddress("alice", 3));
    assertThat(got.id()).isEqualTo("0f8e-id_1");
    assertThat(got.to()).isEqualTo(new DeviceAddress("bob", 999_999_999));
    assertThat(got.envelope()).containsExactly(ENVELOPE);
    assertThat(got.sentAt()).isEqualTo(1_700_000_000_123L);
    assertThat(got.expiresAt()).isEqualTo(1_702_592_000_123L);
  }

  @Test
  void deliver_roundTrips_anEnvelopeOfTheLargestAllowedSize() {
    byte[] large = new byte[65_536];
    Arrays.fill(large, (byte) 0x5a);
    StoredMessage sent = new StoredMessage(0, "alice", "id", "bob", large, 1, 2);

    StoredMessage got =
        ((Handover.Deliver) Handover.decode(Handover.encode(new Handover.Deliver(sent)))).message();

    assertThat(got.envelope()).containsExactly(large);
  }

  @Test
  void receipt_roundTrips() {
    Handover receipt =
        new Handover.Receipt(new DeviceAddress("alice", 2), "m-1", new DeviceAddress("bob", 5));

    assertThat(Handover.decode(Handover.encode(receipt))).isEqualTo(receipt);
  }

  /**
   * A node of the previous version (before per-device queues) wrote deliveries and receipts without
   * device ids: during a rolling upgrade they are read as devices 1, the only devices it knew.
   */
  @Test
  void aDeliveryAndAReceiptOfAPreviousVersionNode_areReadAsDevices1() throws IOException {
    ByteArrayOutputStream deliver = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(deliver)) {
      out.writeByte(Handover.DELIVER_TO_FIRST_DEVICE);
      out.writeLong(42);
      out.writeUTF("alice");
      out.writeUTF("m-1");
      out.writeUTF("bob");
      out.writeInt(ENVELOPE.length);
      out.write(ENVELOPE);
      out.writeLong(1);
      out.writeLong(2);
    }
    ByteArrayOutputStream receipt = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(receipt)) {
      out.writeByte(Handover.RECEIPT_OF_FIRST_DEVICES);
      out.writeUTF("alice");
      out.writeUTF("m-1");
      out.writeUTF("bob");
    }

    StoredMessage got = ((Handover.Deliver) Handover.decode(deliver.toByteArray())).message();
    assertThat(got.from()).isEqualTo(DeviceAddress.first("alice"));
    assertThat(got.to()).isEqualTo(DeviceAddress.first("bob"));
    assertThat(got.envelope()).containsExactly(ENVELOPE);
    assertThat(Handover.decode(receipt.toByteArray()))
        .isEqualTo(
            new Handover.Receipt(DeviceAddress.first("alice"), "m-1", DeviceAddress.first("bob")));
  }

  /** A device id out of range in a delivery is no device: refused, as any malformed handover. */
  @Test
  void deliver_toADeviceIdOutOfRange_isRejected() {
    byte[] bytes = Handover.encode(new Handover.Deliver(message()));
    int recipientDevice = 1 + 8 + 2 + "alice".length() + 4 + 2 + "0f8e-id_1".length() + 2 + 3;
    bytes[recipientDevice] = 0x40; // 999,999,999 (0x3b9ac9ff) becomes 1,083,886,079

    assertThatThrownBy(() -> Handover.decode(bytes)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void connectedElsewhere_roundTrips() {
    Handover notice = new Handover.ConnectedElsewhere(new DeviceAddress("bob", 7));

    assertThat(Handover.decode(Handover.encode(notice))).isEqualTo(notice);
  }

  /** A device id out of range is no device: the notice is refused, as any malformed handover. */
  @Test
  void connectedElsewhere_ofADeviceIdOutOfRange_isRejected() {
    byte[] bytes = Handover.encode(new Handover.ConnectedElsewhere(new DeviceAddress("bob", 1)));
    Arrays.fill(bytes, bytes.length - 4, bytes.length, (byte) 0);

    assertThatThrownBy(() -> Handover.decode(bytes)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void devicesRemoved_roundTrips() {
    Handover removal = new Handover.DevicesRemoved("bob", List.of(2, 999_999_999));

    assertThat(Handover.decode(Handover.encode(removal))).isEqualTo(removal);
  }

  @Test
  void devicesRemoved_ofNoDevice_orOfAnIdOutOfRange_isRejected() {
    byte[] bytes = Handover.encode(new Handover.DevicesRemoved("bob", List.of(3)));
    byte[] none = Arrays.copyOf(bytes, bytes.length - 4);
    none[none.length - 1] = 0;
    byte[] zero = bytes.clone();
    Arrays.fill(zero, zero.length - 4, zero.length, (byte) 0);

    assertThatThrownBy(() -> Handover.decode(none)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Handover.decode(zero)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deviceLinked_roundTrips_andRefusesAnInvalidUsername() {
    Handover link = new Handover.DeviceLinked("bob");

    assertThat(Handover.decode(Handover.encode(link))).isEqualTo(link);
    byte[] bytes = Handover.encode(link);
    bytes[bytes.length - 1] = ' ';
    assertThatThrownBy(() -> Handover.decode(bytes)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void revoked_roundTrips_itsTokenHash() {
    byte[] hash = new byte[32];
    Arrays.fill(hash, (byte) 0xa7);
    Handover revoked = new Handover.Revoked(hash);

    Handover decoded = Handover.decode(Handover.encode(revoked));

    assertThat(decoded).isEqualTo(revoked);
    assertThat(((Handover.Revoked) decoded).tokenHash()).containsExactly(hash);
  }

  @Test
  void revoked_refusesAHashOfTheWrongLength() {
    assertThatThrownBy(() -> new Handover.Revoked(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eachKind_isTaggedByItsFirstByte() {
    assertThat(Handover.encode(new Handover.Deliver(message()))[0]).isEqualTo(Handover.DELIVER);
    assertThat(
            Handover.encode(
                new Handover.Receipt(DeviceAddress.first("a"), "b", DeviceAddress.first("c")))[0])
        .isEqualTo(Handover.RECEIPT);
    assertThat(Handover.encode(new Handover.ConnectedElsewhere(DeviceAddress.first("a")))[0])
        .isEqualTo(Handover.CONNECTED_ELSEWHERE);
    assertThat(Handover.encode(new Handover.Revoked(new byte[32]))[0]).isEqualTo(Handover.REVOKED);
    assertThat(Handover.encode(new Handover.DevicesRemoved("a", List.of(2)))[0])
        .isEqualTo(Handover.DEVICES_REMOVED);
    assertThat(Handover.encode(new Handover.DeviceLinked("abc"))[0])
        .isEqualTo(Handover.DEVICE_LINKED);
  }

  @Test
  void unknownKind_isRejected() {
    byte[] bytes = Handover.encode(new Handover.ConnectedElsewhere(new DeviceAddress("bob", 7)));
    bytes[0] = 99;

    assertThatThrownBy(() -> Handover.decode(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown handover kind 99");
  }

  @Test
  void noBytes_areRejected() {
    assertThatThrownBy(() -> Handover.decode(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyTruncation_ofEveryKind_isRejected() {
    Handover[] kinds = {
      new Handover.Deliver(message()),
      new Handover.Receipt(DeviceAddress.first("alice"), "m-1", DeviceAddress.first("bob")),
      new Handover.ConnectedElsewhere(new DeviceAddress("bob", 7)),
      new Handover.Revoked(new byte[32]),
      new Handover.DevicesRemoved("bob", List.of(2, 3)),
      new Handover.DeviceLinked("bob")
    };
    for (Handover kind : kinds) {
      byte[] whole = Handover.encode(kind);
      for (int length = 0; length < whole.length; length++) {
        byte[] cut = Arrays.copyOf(whole, length);
        assertThatThrownBy(() -> Handover.decode(cut))
            .as("%s cut to %d of %d bytes", kind.getClass().getSimpleName(), length, whole.length)
            .isInstanceOf(IllegalArgumentException.class);
      }
    }
  }

  @Test
  void anEnvelopeLengthBeyondTheBytes_isRejected_withoutAllocatingIt() throws IOException {
    for (int length : new int[] {Integer.MAX_VALUE, -1, ENVELOPE.length + 1}) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeByte(Handover.DELIVER);
        out.writeLong(1);
        out.writeUTF("alice");
        out.writeUTF("id");
        out.writeUTF("bob");
        out.writeInt(length);
        out.write(ENVELOPE);
        out.writeLong(1);
        out.writeLong(2);
      }
      assertThatThrownBy(() -> Handover.decode(bytes.toByteArray()))
          .as("envelope length %d", length)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
