package com.securecom.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.wire.ErrorCodes;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.protocol.wire.WireMessage.Copy;
import com.securecom.protocol.wire.WireMessage.UserDevices;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.relay.RelayServiceFastPathTest.FakeConnection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sends to several users (relay message version 5, groups) over the real group commit, repository
 * and device sets: one transaction for every user's copies, all or nothing, per-device deliveries
 * and receipts, and the version 4 rule still applied to version 4 connections.
 *
 * <p>Besides the fixture's users, Dave is legacy (device 1). Alice sends from device 1.
 */
class RelayServiceGroupsTest extends RelayServiceFixture {
  private static final int V5 = WireMessage.GROUPS_VERSION;
  private static final DeviceAddress DAVE = DeviceAddress.first("dave");

  @BeforeEach
  void dave() {
    db.addAccount("dave");
  }

  /**
   * Alice's group text to bob (devices 1 and 3), carol and dave, with her device 2's transcript.
   */
  private static List<Copy> group(int envelopeByte) {
    return List.of(
        copy("bob", 1, envelopeByte),
        copy("bob", 3, envelopeByte),
        copy("carol", 1, envelopeByte),
        copy("dave", 1, envelopeByte),
        copy("alice", 2, envelopeByte));
  }

  @Test
  void aSendToThreeUsers_storesEveryCopy_handsEachToItsDevice_andEachAckOwesOneReceipt() {
    FakeConnection alice1 = connect(ALICE_1);
    List<FakeConnection> recipients = new ArrayList<>();
    for (DeviceAddress device : List.of(BOB_1, BOB_3, CAROL, DAVE, ALICE_2)) {
      recipients.add(connect(device));
    }

    assertThat(send(ALICE_1, V5, "g", group(7))).isEqualTo(new WireMessage.Accepted("g"));
    awaitPending(); // the copies are handed out right after the answer, on the commit's thread

    for (FakeConnection recipient : recipients) {
      assertThat(recipient.offered)
          .as(recipient.device.toString())
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.from()).isEqualTo(ALICE_1);
                assertThat(m.to()).isEqualTo(recipient.device);
              });
      relay.acknowledge(recipient.device, ALICE_1, "g", SentCopies.Copy.NOT_SENT_HERE);
    }
    awaitPending();
    assertThat(alice1.receipts)
        .as("one receipt per other user's device, none for alice's own")
        .containsExactlyInAnyOrder(
            new Receipt("g", "bob", 1),
            new Receipt("g", "bob", 3),
            new Receipt("g", "carol", 1),
            new Receipt("g", "dave", 1));
    assertThat(messages.countPending()).isZero();
  }

  @Test
  void moreUsersThanMaxSendUsers_isInvalid_andStoresNothing() {
    settings.maxSendUsers = 2;

    assertThat(errorCode(send(ALICE_1, V5, "g", group(1)))).isEqualTo(ErrorCodes.INVALID_COPIES);
    assertThat(messages.countPending()).isZero();
    settings.maxSendUsers = 3;
    assertThat(send(ALICE_1, V5, "g", group(1))).isEqualTo(new WireMessage.Accepted("g"));
  }

  @Test
  void aVersion4Connection_stillMayNameOneUserBesidesItself() {
    assertThat(errorCode(send(ALICE_1, 4, "g", group(1)))).isEqualTo(ErrorCodes.INVALID_COPIES);
    List<Copy> thirtyThree = new ArrayList<>();
    for (int i = 0; i < 33; i++) {
      thirtyThree.add(copy("bob", 100 + i, 1));
    }
    assertThat(errorCode(send(ALICE_1, 4, "h", thirtyThree)))
        .as("33 copies are over the version 4 bound, whatever max-copies says")
        .isEqualTo(ErrorCodes.INVALID_COPIES);
    assertThat(errorCode(send(ALICE_1, V5, "h", thirtyThree)))
        .as("at version 5 they pass check 2, and bob's set is stale")
        .isEqualTo(ErrorCodes.STALE_DEVICES);
    assertThat(messages.countPending()).isZero();
  }

  @Test
  void oneStaleUser_refusesTheWholeSend_namingOnlyThatUser() {
    List<Copy> copies =
        List.of(copy("carol", 1, 1), copy("bob", 1, 1), copy("dave", 1, 1), copy("alice", 2, 1));

    assertThat(send(ALICE_1, V5, "g", copies))
        .isEqualTo(
            new WireMessage.Error(
                "g",
                ErrorCodes.STALE_DEVICES,
                "the device set changed",
                List.of(new UserDevices("bob", 7, List.of(1, 3)))));
    assertThat(messages.countPending()).as("nothing for carol, dave or alice either").isZero();
  }

  @Test
  void anUnknownUserAmongMany_isAnUnknownRecipient_andStoresNothing() {
    List<Copy> copies = new ArrayList<>(group(1));
    copies.add(copy("nobody", 1, 1));

    assertThat(errorCode(send(ALICE_1, V5, "g", copies))).isEqualTo(ErrorCodes.UNKNOWN_RECIPIENT);
    assertThat(messages.countPending()).isZero();
  }

  @Test
  void envelopesTogetherOverMaxSendBytes_areTooLarge_andStoreNothing() {
    settings.maxSendBytes = 400;
    List<Copy> copies = new ArrayList<>();
    for (Copy c : group(1)) {
      copies.add(new Copy(c.to(), c.device(), Bytes.base64(new byte[81])));
    }

    assertThat(errorCode(send(ALICE_1, V5, "g", copies))).isEqualTo(ErrorCodes.ENVELOPE_TOO_LARGE);
    assertThat(messages.countPending()).isZero();
  }

  @Test
  void oneMembersFullQueue_refusesTheWholeSend_namingItsDevice() {
    settings.maxQueue = 1;
    assertThat(send(DAVE, V5, "first", List.of(copy("carol", 1, 1))))
        .isEqualTo(new WireMessage.Accepted("first"));

    assertThat(send(ALICE_1, V5, "g", group(1)))
        .isEqualTo(
            new WireMessage.Error(
                "g",
                ErrorCodes.QUEUE_FULL,
                "a device's queue is full; try again later",
                List.of(new UserDevices("carol", 0, List.of(1)))));
    assertThat(messages.pending(BOB_1, 0, 10)).isEmpty();
  }

  @Test
  void afterAFullQueueRefusedIt_theSameIdWithoutTheFullMember_isAccepted() {
    settings.maxQueue = 1;
    send(DAVE, V5, "first", List.of(copy("carol", 1, 1)));
    assertThat(errorCode(send(ALICE_1, V5, "g", group(1)))).isEqualTo(ErrorCodes.QUEUE_FULL);

    List<Copy> withoutCarol = group(1).stream().filter(c -> !c.to().equals("carol")).toList();
    assertThat(send(ALICE_1, V5, "g", withoutCarol)).isEqualTo(new WireMessage.Accepted("g"));
    assertThat(messages.pending(BOB_1, 0, 10)).hasSize(1);
    assertThat(messages.pending(CAROL, 0, 10))
        .as("only dave's earlier message")
        .extracting(StoredMessage::id)
        .containsExactly("first");
    assertThat(errorCode(send(ALICE_1, V5, "g", group(1))))
        .as("once stored, the id is bound to these copies")
        .isEqualTo(ErrorCodes.ID_REUSED);
  }

  @Test
  void aRetryOfTheSameGroupSend_isAcceptedAgain_andStoredOnce() {
    send(ALICE_1, V5, "g", group(1));
    relay.acknowledge(BOB_3, ALICE_1, "g", SentCopies.Copy.NOT_SENT_HERE);
    awaitPending();

    assertThat(send(ALICE_1, V5, "g", group(1))).isEqualTo(new WireMessage.Accepted("g"));
    assertThat(errorCode(send(ALICE_1, V5, "g", group(2)))).isEqualTo(ErrorCodes.ID_REUSED);
    assertThat(messages.pending(BOB_1, 0, 10)).hasSize(1);
    assertThat(messages.pending(BOB_3, 0, 10)).as("acknowledged").isEmpty();
    assertThat(messages.pending(DAVE, 0, 10)).hasSize(1);
  }

  @Test
  void aHundredUsersOfOneDevice_inOneSend_eachGetExactlyOneCopy() {
    List<Copy> copies = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String user = "member" + i;
      db.addAccount(user);
      copies.add(copy(user, 1, i));
    }

    assertThat(send(ALICE_1, V5, "g", copies)).isEqualTo(new WireMessage.Accepted("g"));

    for (int i = 0; i < 100; i++) {
      assertThat(messages.pending(DeviceAddress.first("member" + i), 0, 10))
          .singleElement()
          .satisfies(m -> assertThat(m.id()).isEqualTo("g"));
    }
    assertThat(otherNodes.delivered).as("each copy handed over once").hasSize(100);
  }
}
