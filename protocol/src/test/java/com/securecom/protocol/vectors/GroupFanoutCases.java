package com.securecom.protocol.vectors;

import static com.securecom.protocol.vectors.FanoutVectorsGenerator.ALICE_LEGACY;
import static com.securecom.protocol.vectors.FanoutVectorsGenerator.ALICE_THREE;
import static com.securecom.protocol.vectors.FanoutVectorsGenerator.ALICE_TWO;
import static com.securecom.protocol.vectors.FanoutVectorsGenerator.BOB_CHANGED;
import static com.securecom.protocol.vectors.FanoutVectorsGenerator.BOB_TWO;
import static com.securecom.protocol.vectors.FanoutVectorsGenerator.CAROL;
import static com.securecom.protocol.vectors.FanoutVectorsGenerator.ENVELOPE;
import static com.securecom.protocol.vectors.FanoutVectorsGenerator.MAX_USERS;
import static com.securecom.protocol.vectors.FanoutVectorsGenerator.copies;
import static com.securecom.protocol.vectors.FanoutVectorsGenerator.range;
import static com.securecom.protocol.vectors.FanoutVectorsGenerator.set;

import com.securecom.protocol.vectors.FanoutVectorsGenerator.FanoutCase;
import com.securecom.protocol.vectors.FanoutVectorsGenerator.SendCase;
import com.securecom.protocol.wire.ErrorCodes;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.protocol.wire.WireMessage.Copy;
import com.securecom.protocol.wire.WireMessage.UserDevices;
import java.util.ArrayList;
import java.util.List;

/**
 * The relay message version 5 (groups) cases of {@code fanout.json}, each answer stated from
 * docs/protocol.md ("Version 5 (groups)"): sends to several users, {@code max-send-users}, more
 * than 32 copies (accepted at version 5, refused at version 4), {@code stale_devices} naming
 * several users, an unknown user among many; and fan-outs to several recipients.
 */
final class GroupFanoutCases {
  private GroupFanoutCases() {}

  static final UserDevices DAVE = set("dave", 2, 1, 2);
  static final UserDevices DAVE_CHANGED = set("dave", 3, 1, 2, 3);
  static final UserDevices BOB_32 = set("bob", 9, range(1, 32));

  /** Alice's device 2 to bob, carol and dave, with her other devices (a group text). */
  private static final List<String> GROUP_OF_THREE =
      List.of("bob:1", "bob:3", "carol:1", "dave:1", "dave:2", "alice:1", "alice:5");

  /** 32 users of 32 devices each, {@code member01} to {@code member32}: 1,024 copies' worth. */
  static List<UserDevices> thirtyTwoMembers() {
    List<UserDevices> members = new ArrayList<>();
    for (int i = 1; i <= 32; i++) {
      members.add(set(String.format("member%02d", i), i, range(1, 32)));
    }
    return members;
  }

  /** A copy for every device of each of {@code sets}, in order. */
  static List<Copy> everyDevice(List<UserDevices> sets) {
    List<Copy> copies = new ArrayList<>();
    for (UserDevices set : sets) {
      for (int id : set.ids()) {
        copies.add(new Copy(set.user(), id, ENVELOPE));
      }
    }
    return copies;
  }

  private static SendCase v5(
      String name,
      int device,
      int maxCopies,
      int maxUsers,
      List<UserDevices> current,
      List<Copy> copies,
      String result,
      List<UserDevices> devices) {
    return new SendCase(
        name, "alice", device, 5, maxCopies, maxUsers, current, copies, result, devices);
  }

  private static SendCase v5(
      String name, int device, List<UserDevices> current, List<Copy> copies, String result) {
    return v5(name, device, WireMessage.MAX_COPIES, MAX_USERS, current, copies, result, null);
  }

  /** The same case on a version 4 connection (max-copies 32, as the version 4 cases). */
  private static SendCase atVersion4(SendCase c, String result) {
    return new SendCase(
        c.name() + "_atVersion4",
        c.sender(),
        c.device(),
        4,
        32,
        c.maxUsers(),
        c.current(),
        c.copies(),
        result,
        null);
  }

  private static List<Copy> copiesOf(List<String> toAndDevice) {
    return copies(toAndDevice.toArray(String[]::new));
  }

  static List<SendCase> sendCases() {
    String accepted = "accepted";
    String invalid = ErrorCodes.INVALID_COPIES;
    String unknown = ErrorCodes.UNKNOWN_RECIPIENT;
    List<UserDevices> groupSets = List.of(ALICE_THREE, BOB_TWO, CAROL, DAVE);
    List<Copy> group = copiesOf(GROUP_OF_THREE);
    List<SendCase> cases = new ArrayList<>();

    SendCase threeUsers = v5("group_threeUsers", 2, groupSets, group, accepted);
    cases.add(threeUsers);
    cases.add(atVersion4(threeUsers, invalid));
    cases.add(
        v5(
            "group_threeUsers_inAnotherOrder",
            2,
            groupSets,
            copies("alice:5", "dave:2", "bob:3", "carol:1", "alice:1", "dave:1", "bob:1"),
            accepted));
    cases.add(
        v5(
            "group_exactlyMaxUsers",
            2,
            WireMessage.MAX_COPIES,
            3,
            groupSets,
            group,
            accepted,
            null));
    cases.add(
        v5(
            "group_moreUsersThanMaxUsers",
            2,
            WireMessage.MAX_COPIES,
            2,
            groupSets,
            group,
            invalid,
            null));
    cases.add(
        v5(
            "group_moreUsersThanMaxUsers_oneWithoutAccount",
            1,
            WireMessage.MAX_COPIES,
            2,
            List.of(ALICE_LEGACY, BOB_TWO, CAROL),
            copies("bob:1", "bob:3", "carol:1", "erin:1"),
            invalid,
            null));

    List<Copy> thirtyThree = everyDevice(List.of(BOB_32));
    thirtyThree.add(new Copy("alice", 2, ENVELOPE));
    SendCase copies33 =
        v5(
            "group_33Copies_oneUserAndAnOwnDevice",
            1,
            List.of(ALICE_TWO, BOB_32),
            thirtyThree,
            accepted);
    cases.add(copies33);
    cases.add(atVersion4(copies33, invalid));
    List<UserDevices> members = new ArrayList<>(thirtyTwoMembers());
    List<Copy> copies1024 = everyDevice(members);
    members.add(0, ALICE_LEGACY);
    SendCase most = v5("group_1024Copies_32UsersOf32Devices", 1, members, copies1024, accepted);
    cases.add(most);
    cases.add(atVersion4(most, invalid));
    cases.add(v5("group_exactlyMaxCopies", 2, 7, MAX_USERS, groupSets, group, accepted, null));
    cases.add(
        v5("group_moreCopiesThanMaxCopies", 2, 6, MAX_USERS, groupSets, group, invalid, null));
    cases.add(
        v5(
            "group_aRepeatedCopy",
            2,
            groupSets,
            copies("bob:1", "bob:3", "carol:1", "dave:1", "dave:2", "carol:1"),
            invalid));
    cases.add(
        v5(
            "group_aCopyToTheSendingDevice",
            2,
            groupSets,
            copies("bob:1", "bob:3", "carol:1", "dave:1", "dave:2", "alice:2"),
            invalid));

    cases.add(
        v5(
            "group_anUnknownRecipientAmongMany",
            2,
            List.of(ALICE_THREE, BOB_TWO, CAROL),
            copies("bob:1", "bob:3", "carol:1", "erin:1", "alice:1", "alice:5"),
            unknown));
    cases.add(
        v5(
            "group_anUnknownRecipientAmongMany_andStaleSets",
            2,
            List.of(ALICE_THREE, BOB_CHANGED, CAROL),
            copies("bob:1", "bob:3", "erin:1", "carol:1"),
            unknown));

    List<UserDevices> changed = List.of(ALICE_THREE, BOB_CHANGED, CAROL, DAVE_CHANGED);
    cases.add(
        v5(
            "group_staleSetsOfSeveralUsers_inTheOrderOfFirstMention",
            2,
            WireMessage.MAX_COPIES,
            MAX_USERS,
            changed,
            copies("dave:1", "dave:2", "carol:1", "bob:1", "bob:3", "alice:1", "alice:5"),
            ErrorCodes.STALE_DEVICES,
            List.of(DAVE_CHANGED, BOB_CHANGED)));
    cases.add(
        v5(
            "group_staleSetsOfSeveralUsers_theSendersOwnFirst",
            2,
            WireMessage.MAX_COPIES,
            MAX_USERS,
            changed,
            copies("alice:1", "bob:1", "bob:3", "carol:1", "dave:1", "dave:2"),
            ErrorCodes.STALE_DEVICES,
            List.of(set("alice", 3, 1, 5), BOB_CHANGED, DAVE_CHANGED)));
    return cases;
  }

  static List<FanoutCase> fanoutCases() {
    List<UserDevices> group = List.of(BOB_TWO, CAROL, DAVE);
    List<String> withoutOwn = GROUP_OF_THREE.subList(0, 5);
    List<FanoutCase> cases = new ArrayList<>();
    cases.add(
        new FanoutCase(
            "group_text_threeUsers", 2, ALICE_THREE, group, true, copiesOf(GROUP_OF_THREE)));
    cases.add(
        new FanoutCase(
            "group_withoutOwnDevices", 2, ALICE_THREE, group, false, copiesOf(withoutOwn)));
    cases.add(
        new FanoutCase(
            "group_recipientsInTheOrderGiven",
            2,
            ALICE_THREE,
            List.of(DAVE, CAROL, BOB_TWO),
            true,
            copies("dave:1", "dave:2", "carol:1", "bob:1", "bob:3", "alice:1", "alice:5")));
    cases.add(
        new FanoutCase(
            "group_fromALegacyAccount_32UsersOf32Devices",
            1,
            ALICE_LEGACY,
            thirtyTwoMembers(),
            true,
            everyDevice(thirtyTwoMembers())));
    return cases;
  }
}
