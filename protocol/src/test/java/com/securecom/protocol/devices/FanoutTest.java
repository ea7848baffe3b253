package com.securecom.protocol.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.wire.ErrorCodes;
import com.securecom.protocol.wire.WireCodec;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.protocol.wire.WireMessage.Copy;
import com.securecom.protocol.wire.WireMessage.UserDevices;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Checks 2 to 4 of a version 4 send, one rule at a time, and the client's fan-out from verified
 * sets (docs/protocol.md, "Version 4", "Sending to a device set").
 */
class FanoutTest {
  /** A version 4 connection to a server with the default settings. */
  private static final Fanout.Limits V4 = new Fanout.Limits(4, 1024, 256);

  private static final UserDevices ALICE = set("alice", 3, 1, 2, 5);
  private static final UserDevices BOB = set("bob", 5, 1, 3);
  private static final List<UserDevices> SETS = List.of(ALICE, BOB);

  private static UserDevices set(String user, long serial, int... ids) {
    return new UserDevices(user, serial, IntStream.of(ids).boxed().toList());
  }

  private static List<Copy> copies(String... toAndDevice) {
    List<Copy> copies = new ArrayList<>();
    for (String c : toAndDevice) {
      String[] parts = c.split(":");
      copies.add(new Copy(parts[0], Integer.parseInt(parts[1]), "AA=="));
    }
    return copies;
  }

  /** Alice's device 2 sends these copies to a server whose sets are {@code sets}. */
  private static Fanout.Outcome fromAlice2(List<UserDevices> sets, String... copies) {
    return Fanout.check("alice", 2, copies(copies), sets, V4);
  }

  private static Fanout.Refused refused(String code) {
    return new Fanout.Refused(code, null);
  }

  @Test
  void everyDeviceOfTheRecipient_andTheSendersOtherDevices_isAccepted() {
    assertThat(fromAlice2(SETS, "bob:1", "bob:3", "alice:1", "alice:5"))
        .isEqualTo(new Fanout.Accepted());
  }

  @Test
  void theOrderOfTheCopies_doesNotMatter() {
    assertThat(fromAlice2(SETS, "alice:5", "bob:3", "alice:1", "bob:1"))
        .isEqualTo(new Fanout.Accepted());
  }

  @Test
  void theServerDoesNotRequireTheSendersOwnAccount_aReceiptLeavesItOut() {
    assertThat(fromAlice2(SETS, "bob:1", "bob:3")).isEqualTo(new Fanout.Accepted());
  }

  @Test
  void copiesOnlyToTheSendersOtherDevices_areAccepted_whileItHasSome() {
    assertThat(fromAlice2(SETS, "alice:1", "alice:5")).isEqualTo(new Fanout.Accepted());
    assertThat(Fanout.check("alice", 1, copies("alice:2"), List.of(set("alice", 0, 1)), V4))
        .isEqualTo(refused(ErrorCodes.INVALID_COPIES));
  }

  @Test
  void moreCopiesThanTheServerAllows_areInvalid() {
    List<Copy> copies = copies("bob:1", "bob:3", "alice:1", "alice:5");
    assertThat(Fanout.check("alice", 2, copies, SETS, new Fanout.Limits(4, 4, 256)))
        .isEqualTo(new Fanout.Accepted());
    assertThat(Fanout.check("alice", 2, copies, SETS, new Fanout.Limits(4, 3, 256)))
        .isEqualTo(refused(ErrorCodes.INVALID_COPIES));
  }

  @Test
  void aRepeatedCopy_isInvalid_evenWithAnotherEnvelope() {
    List<Copy> copies = new ArrayList<>(copies("bob:1", "bob:3"));
    copies.add(new Copy("bob", 3, "AQ=="));
    assertThat(Fanout.check("alice", 2, copies, SETS, V4))
        .isEqualTo(refused(ErrorCodes.INVALID_COPIES));
  }

  @Test
  void aCopyToTheSendingDevice_isInvalid() {
    assertThat(fromAlice2(SETS, "bob:1", "bob:3", "alice:1", "alice:2", "alice:5"))
        .isEqualTo(refused(ErrorCodes.INVALID_COPIES));
  }

  @Test
  void twoUsersBesidesTheSender_areInvalid_evenIfOneHasNoAccount() {
    List<UserDevices> sets = List.of(ALICE, BOB, set("carol", 1, 1));
    assertThat(fromAlice2(sets, "bob:1", "bob:3", "carol:1"))
        .isEqualTo(refused(ErrorCodes.INVALID_COPIES));
    assertThat(fromAlice2(SETS, "bob:1", "bob:3", "dave:1"))
        .isEqualTo(refused(ErrorCodes.INVALID_COPIES));
  }

  @Test
  void aRecipientWithoutAccount_isUnknown_beforeAnySetIsCompared() {
    assertThat(fromAlice2(SETS, "dave:1")).isEqualTo(refused(ErrorCodes.UNKNOWN_RECIPIENT));
    assertThat(fromAlice2(SETS, "alice:1", "dave:1"))
        .isEqualTo(refused(ErrorCodes.UNKNOWN_RECIPIENT));
  }

  @Test
  void aRecipientSetThatChanged_isStale_withTheServersSerialAndIds() {
    UserDevices bobNow = set("bob", 6, 1, 4);
    assertThat(fromAlice2(List.of(ALICE, bobNow), "bob:1", "bob:3"))
        .isEqualTo(new Fanout.Refused(ErrorCodes.STALE_DEVICES, List.of(bobNow)));
  }

  @Test
  void aDeviceTheServerDoesNotKnow_isStale_evenIfEveryOtherIsCurrent() {
    assertThat(fromAlice2(SETS, "bob:1", "bob:3", "bob:9"))
        .isEqualTo(new Fanout.Refused(ErrorCodes.STALE_DEVICES, List.of(BOB)));
  }

  @Test
  void theSendersOwnSet_isComparedWithoutTheSendingDevice() {
    assertThat(fromAlice2(SETS, "bob:1", "bob:3", "alice:1"))
        .isEqualTo(new Fanout.Refused(ErrorCodes.STALE_DEVICES, List.of(set("alice", 3, 1, 5))));
  }

  @Test
  void theSendersOwnAccount_withNoOtherDevice_isStaleWithNoIds_whenAnotherUserIsNamed() {
    UserDevices legacyAlice = set("alice", 0, 1);
    assertThat(
            Fanout.check(
                "alice", 1, copies("bob:1", "bob:3", "alice:2"), List.of(legacyAlice, BOB), V4))
        .isEqualTo(
            new Fanout.Refused(
                ErrorCodes.STALE_DEVICES, List.of(new UserDevices("alice", 0, List.of()))));
  }

  @Test
  void staleDevices_listsEveryStaleUser_inTheOrderOfFirstMention() {
    UserDevices bobNow = set("bob", 6, 1, 4);
    UserDevices aliceWithout2 = set("alice", 3, 1, 5);
    List<UserDevices> sets = List.of(ALICE, bobNow);
    assertThat(fromAlice2(sets, "bob:1", "alice:1", "bob:3"))
        .isEqualTo(new Fanout.Refused(ErrorCodes.STALE_DEVICES, List.of(bobNow, aliceWithout2)));
    assertThat(fromAlice2(sets, "alice:1", "bob:1", "bob:3"))
        .isEqualTo(new Fanout.Refused(ErrorCodes.STALE_DEVICES, List.of(aliceWithout2, bobNow)));
  }

  @Test
  void aSendBreakingTwoRules_getsTheEarlierCode() {
    UserDevices bobNow = set("bob", 6, 1, 4);
    assertThat(fromAlice2(List.of(ALICE, bobNow), "bob:1", "bob:1"))
        .isEqualTo(refused(ErrorCodes.INVALID_COPIES));
    assertThat(fromAlice2(List.of(ALICE), "dave:1", "alice:5"))
        .isEqualTo(refused(ErrorCodes.UNKNOWN_RECIPIENT));
  }

  @Test
  void refused_isTheErrorTheServerAnswers() throws Exception {
    Fanout.Refused stale = new Fanout.Refused(ErrorCodes.STALE_DEVICES, List.of(BOB));
    WireMessage.Error error = stale.error("m1");
    assertThat(error.code()).isEqualTo("stale_devices");
    assertThat(error.devices()).containsExactly(BOB);
    WireCodec codec = new WireCodec();
    assertThat(new String(codec.encode(error), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"type\":\"error\",\"id\":\"m1\",\"code\":\"stale_devices\","
                + "\"message\":\"the device set changed\","
                + "\"devices\":[{\"user\":\"bob\",\"serial\":5,\"ids\":[1,3]}]}");
    assertThat(refused(ErrorCodes.UNKNOWN_RECIPIENT).error("m1").devices()).isNull();
  }

  @Test
  void targets_areTheRecipientsDevices_thenTheSendersOthers_forAText() {
    assertThat(Fanout.targets(2, ALICE, BOB, true))
        .containsExactly(
            new Fanout.Target("bob", 1),
            new Fanout.Target("bob", 3),
            new Fanout.Target("alice", 1),
            new Fanout.Target("alice", 5));
  }

  @Test
  void targets_ofAReceipt_areTheRecipientsDevicesOnly() {
    assertThat(Fanout.targets(2, ALICE, BOB, false))
        .containsExactly(new Fanout.Target("bob", 1), new Fanout.Target("bob", 3));
  }

  @Test
  void targets_areWhatTheServersCheckAccepts() {
    List<Copy> copies =
        Fanout.targets(2, ALICE, BOB, true).stream().map(t -> t.copy("AA==")).toList();
    assertThat(Fanout.check("alice", 2, copies, SETS, V4)).isEqualTo(new Fanout.Accepted());
  }

  @Test
  void devicesOf_aVerifiedList_orLegacy() throws Exception {
    byte[] key = Ed25519.publicKey(new byte[32]);
    DeviceList list =
        DeviceList.of("alice", key, 4, 0, 3, List.of(new DeviceEntry(1, 0), new DeviceEntry(3, 0)));
    assertThat(Fanout.devicesOf("alice", list)).isEqualTo(set("alice", 4, 1, 3));
    assertThat(Fanout.devicesOf("bob", null)).isEqualTo(set("bob", 0, 1));
    assertThatThrownBy(() -> Fanout.devicesOf("bob", list))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void whatCheck1OrTheCallerGuarantees_isRequired() {
    assertThatThrownBy(() -> fromAlice2(SETS, "Bob:1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fromAlice2(List.of(BOB), "bob:1"))
        .as("the sender's set is given")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fromAlice2(List.of(ALICE, BOB, BOB), "bob:1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fromAlice2(List.of(ALICE, set("bob", 0, 1, 2)), "bob:1"))
        .as("serial 0 is device 1 only")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fromAlice2(List.of(ALICE, set("bob", 2)), "bob:1"))
        .as("an account has a device")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> Fanout.check("alice", 2, copies("bob:1"), SETS, new Fanout.Limits(4, 1025, 256)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fanout.check("alice", 2, List.of(), SETS, V4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fanout.targets(2, ALICE, ALICE, true))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
