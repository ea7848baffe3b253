package com.securecom.protocol.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.wire.ErrorCodes;
import com.securecom.protocol.wire.WireMessage.Copy;
import com.securecom.protocol.wire.WireMessage.UserDevices;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Relay message version 5 (groups): a send may name several users besides the sender, up to {@code
 * max-send-users}, in up to {@code max-copies} copies; at version 4 the old rules stand. And the
 * client's fan-out to several recipients.
 */
class FanoutGroupsTest {
  private static final UserDevices ALICE = set("alice", 3, 1, 2, 5);
  private static final UserDevices BOB = set("bob", 5, 1, 3);
  private static final UserDevices CAROL = set("carol", 0, 1);
  private static final UserDevices DAVE = set("dave", 2, 1, 2);
  private static final List<UserDevices> SETS = List.of(ALICE, BOB, CAROL, DAVE);
  private static final Fanout.Limits V5 = new Fanout.Limits(5, 1024, 256);
  private static final Fanout.Limits V4 = new Fanout.Limits(4, 1024, 256);

  private static UserDevices set(String user, long serial, int... ids) {
    return new UserDevices(user, serial, IntStream.of(ids).boxed().toList());
  }

  private static List<Copy> groupCopies() {
    return Fanout.targets(2, ALICE, List.of(BOB, CAROL, DAVE), true).stream()
        .map(t -> t.copy("AA=="))
        .toList();
  }

  private static Fanout.Refused refused(String code) {
    return new Fanout.Refused(code, null);
  }

  @Test
  void aSendToThreeUsers_isAcceptedAtVersion5_andInvalidAtVersion4() {
    assertThat(Fanout.check("alice", 2, groupCopies(), SETS, V5)).isEqualTo(new Fanout.Accepted());
    assertThat(Fanout.check("alice", 2, groupCopies(), SETS, V4))
        .isEqualTo(refused(ErrorCodes.INVALID_COPIES));
  }

  @Test
  void moreUsersThanMaxSendUsers_areInvalid_beforeAnyAccountIsLookedUp() {
    assertThat(Fanout.check("alice", 2, groupCopies(), SETS, new Fanout.Limits(5, 1024, 3)))
        .isEqualTo(new Fanout.Accepted());
    assertThat(
            Fanout.check("alice", 2, groupCopies(), List.of(ALICE), new Fanout.Limits(5, 1024, 2)))
        .as("only the sender's set is given: check 2 refuses first, the others are not needed")
        .isEqualTo(refused(ErrorCodes.INVALID_COPIES));
  }

  @Test
  void theCopyBound_isMaxCopiesAtVersion5_and32AtVersion4() {
    List<UserDevices> sets = new ArrayList<>(List.of(set("alice", 0, 1)));
    List<UserDevices> members = new ArrayList<>();
    for (int i = 1; i <= 32; i++) {
      UserDevices member =
          new UserDevices("member" + i, i, IntStream.rangeClosed(1, 32).boxed().toList());
      members.add(member);
      sets.add(member);
    }
    List<Copy> all =
        Fanout.targets(1, sets.get(0), members, true).stream().map(t -> t.copy("AA==")).toList();
    assertThat(all).hasSize(1024);
    assertThat(Fanout.check("alice", 1, all, sets, V5)).isEqualTo(new Fanout.Accepted());
    assertThat(Fanout.check("alice", 1, all, sets, new Fanout.Limits(5, 1023, 256)))
        .isEqualTo(refused(ErrorCodes.INVALID_COPIES));
    List<Copy> thirtyThree = all.subList(0, 33);
    UserDevices twoMembers = members.get(1);
    assertThat(
            Fanout.check(
                "alice",
                1,
                thirtyThree,
                List.of(sets.get(0), members.get(0), twoMembers),
                new Fanout.Limits(5, 33, 2)))
        .isInstanceOf(Fanout.Refused.class)
        .as("33 copies pass check 2 at version 5; member2's set is then stale")
        .extracting(r -> ((Fanout.Refused) r).code())
        .isEqualTo(ErrorCodes.STALE_DEVICES);
    assertThat(new Fanout.Limits(4, 1024, 256).copies()).isEqualTo(32);
    assertThat(new Fanout.Limits(4, 8, 256).copies()).isEqualTo(8);
    assertThat(new Fanout.Limits(4, 1024, 256).users()).isEqualTo(1);
  }

  @Test
  void staleDevices_namesEachStaleUser_inTheOrderOfFirstMention_whateverTheOrderOfTheCopies() {
    UserDevices bobNow = set("bob", 6, 1, 4);
    UserDevices daveNow = set("dave", 3, 1, 2, 3);
    List<UserDevices> sets = List.of(ALICE, bobNow, CAROL, daveNow);
    Random random = new Random(5);
    for (int n = 0; n < 200; n++) {
      List<Copy> copies = new ArrayList<>(groupCopies());
      Collections.shuffle(copies, random);
      List<UserDevices> expected = new ArrayList<>();
      for (Copy copy : copies) {
        UserDevices stale = copy.to().equals("bob") ? bobNow : null;
        stale = copy.to().equals("dave") ? daveNow : stale;
        if (stale != null && !expected.contains(stale)) {
          expected.add(stale);
        }
      }
      assertThat(Fanout.check("alice", 2, copies, sets, V5))
          .isEqualTo(new Fanout.Refused(ErrorCodes.STALE_DEVICES, expected));
    }
  }

  @Test
  void anUnknownUserAmongMany_isAnUnknownRecipient_evenWhenOthersAreStale() {
    List<Copy> copies = new ArrayList<>(groupCopies());
    copies.add(new Copy("erin", 1, "AA=="));
    assertThat(Fanout.check("alice", 2, copies, List.of(ALICE, set("bob", 6, 1), CAROL, DAVE), V5))
        .isEqualTo(refused(ErrorCodes.UNKNOWN_RECIPIENT));
  }

  @Test
  void targets_toSeveralRecipients_areEachUsersDevicesInTheGivenOrder_thenTheSendersOthers() {
    assertThat(Fanout.targets(2, ALICE, List.of(DAVE, BOB), true))
        .containsExactly(
            new Fanout.Target("dave", 1),
            new Fanout.Target("dave", 2),
            new Fanout.Target("bob", 1),
            new Fanout.Target("bob", 3),
            new Fanout.Target("alice", 1),
            new Fanout.Target("alice", 5));
    assertThat(Fanout.targets(2, ALICE, List.of(DAVE, BOB), false)).hasSize(4);
  }

  @Test
  void targets_refuseARecipientNamedTwice_theSender_orNone() {
    assertThatThrownBy(() -> Fanout.targets(2, ALICE, List.of(BOB, DAVE, BOB), true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fanout.targets(2, ALICE, List.of(BOB, ALICE), true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fanout.targets(2, ALICE, List.of(), true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void limits_areWithinTheProtocolsBounds() {
    assertThatThrownBy(() -> new Fanout.Limits(3, 32, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Fanout.Limits(5, 1025, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Fanout.Limits(5, 1024, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Fanout.Limits(5, 1024, 1025))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
