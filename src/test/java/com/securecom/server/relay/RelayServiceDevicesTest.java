package com.securecom.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.wire.ErrorCodes;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.protocol.wire.WireMessage.Copy;
import com.securecom.protocol.wire.WireMessage.UserDevices;
import com.securecom.server.relay.RelayServiceFastPathTest.FakeConnection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sends to device sets (relay message version 4) and the old-client rule, over the real group
 * commit, repository and device sets: each check of docs/protocol.md's "Sending to a device set" in
 * its order, what is stored (all copies or none), and where each copy goes.
 *
 * <p>Alice has devices 1 and 2 (list serial 4), Bob devices 1 and 3 (serial 7), Carol is legacy
 * (device 1, no list). Alice sends from device 1.
 */
class RelayServiceDevicesTest extends RelayServiceFixture {
  @Test
  void
      aSendToEveryDeviceOfTheRecipient_andTheSendersOthers_isStoredOncePerDevice_andHandedToEach() {
    FakeConnection bob3 = connect(BOB_3);
    FakeConnection alice2 = connect(ALICE_2);

    WireMessage answer =
        send(ALICE_1, "m", copy("bob", 1, 1), copy("bob", 3, 2), copy("alice", 2, 3));

    assertThat(answer).isEqualTo(new WireMessage.Accepted("m"));
    awaitPending(); // the copies are handed out right after the answer, on the commit's thread
    assertThat(messages.pending(BOB_1, 0, 10))
        .extracting(m -> m.envelope()[0])
        .containsExactly((byte) 1);
    assertThat(messages.pending(BOB_3, 0, 10))
        .extracting(m -> m.envelope()[0])
        .containsExactly((byte) 2);
    assertThat(messages.pending(ALICE_2, 0, 10))
        .extracting(m -> m.envelope()[0])
        .containsExactly((byte) 3);
    assertThat(bob3.offered).extracting(StoredMessage::from).containsExactly(ALICE_1);
    assertThat(alice2.offered).extracting(StoredMessage::id).containsExactly("m");
    assertThat(otherNodes.delivered)
        .as("the copy for a device not connected here is handed to the other nodes")
        .extracting(StoredMessage::to)
        .containsExactly(BOB_1);
  }

  @Test
  void aRetryOfTheSameSend_isAcceptedAgain_andStoredOnce_whileOtherCopiesUnderItsIdAreRefused() {
    send(ALICE_1, "m", copy("bob", 1, 1), copy("bob", 3, 2));

    assertThat(send(ALICE_1, "m", copy("bob", 1, 1), copy("bob", 3, 2)))
        .isEqualTo(new WireMessage.Accepted("m"));
    assertThat(errorCode(send(ALICE_1, "m", copy("bob", 1, 1), copy("bob", 3, 9))))
        .isEqualTo(ErrorCodes.ID_REUSED);
    assertThat(messages.pending(BOB_1, 0, 10)).hasSize(1);
    assertThat(messages.pending(BOB_3, 0, 10)).hasSize(1);
  }

  @Test
  void aStaleSet_isRefusedWithTheServersSetsOfTheUsersThatDiffer_andStoresNothing() {
    WireMessage answer =
        send(ALICE_1, "m", copy("bob", 1, 1), copy("bob", 2, 1), copy("alice", 2, 1));

    assertThat(answer)
        .isEqualTo(
            new WireMessage.Error(
                "m",
                ErrorCodes.STALE_DEVICES,
                "the device set changed",
                List.of(new UserDevices("bob", 7, List.of(1, 3)))));
    assertThat(messages.countPending()).isZero();
  }

  @Test
  void aCopyToTheSendingDevice_orCopiesForTwoOtherUsers_areInvalid() {
    assertThat(
            errorCode(
                send(ALICE_1, "a", copy("bob", 1, 1), copy("bob", 3, 1), copy("alice", 1, 1))))
        .isEqualTo(ErrorCodes.INVALID_COPIES);
    assertThat(errorCode(send(ALICE_1, "b", copy("bob", 1, 1), copy("carol", 1, 1))))
        .isEqualTo(ErrorCodes.INVALID_COPIES);
    assertThat(errorCode(send(ALICE_1, "c", copy("bob", 1, 1), copy("bob", 1, 2))))
        .isEqualTo(ErrorCodes.INVALID_COPIES);
    assertThat(messages.countPending()).isZero();
  }

  @Test
  void aCopyForAUserWithoutAnAccount_isAnUnknownRecipient() {
    assertThat(errorCode(send(ALICE_1, "m", copy("nobody", 1, 1))))
        .isEqualTo(ErrorCodes.UNKNOWN_RECIPIENT);
  }

  @Test
  void theFirstCheck_refusesBadNamesAndEnvelopes_beforeAnyDeviceSetIsConsulted() {
    assertThat(errorCode(send(ALICE_1, "a", new Copy("Not A Name", 1, "AQ=="))))
        .isEqualTo(ErrorCodes.INVALID_RECIPIENT);
    assertThat(errorCode(send(ALICE_1, "b", new Copy("bob", 1, "AQ="))))
        .isEqualTo(ErrorCodes.INVALID_ENVELOPE);
    assertThat(errorCode(send(ALICE_1, "c", new Copy("bob", 1, ""))))
        .isEqualTo(ErrorCodes.INVALID_ENVELOPE);
    settings.maxSendBytes = 100;
    assertThat(
            errorCode(
                send(
                    ALICE_1,
                    "d",
                    new Copy("bob", 1, Bytes.base64(new byte[60])),
                    new Copy("bob", 3, Bytes.base64(new byte[41])))))
        .as("each envelope fits, together they do not")
        .isEqualTo(ErrorCodes.ENVELOPE_TOO_LARGE);
  }

  /** All or nothing: a send whose last copy finds its device's queue full stores no copy. */
  @Test
  void aFullDeviceQueue_refusesTheWholeSend_namingTheFullDevice() {
    settings.maxQueue = 1;
    send(CAROL, "first", copy("bob", 1, 1), copy("bob", 3, 1));
    assertThat(send(ALICE_1, "x", copy("alice", 2, 1))).isEqualTo(new WireMessage.Accepted("x"));
    messages.acknowledge(BOB_1, CAROL, "first", 1);

    WireMessage answer = send(ALICE_1, "m", copy("bob", 1, 1), copy("bob", 3, 1));

    assertThat(answer)
        .isEqualTo(
            new WireMessage.Error(
                "m",
                ErrorCodes.QUEUE_FULL,
                "a device's queue is full; try again later",
                List.of(new UserDevices("bob", 7, List.of(3)))));
    assertThat(messages.pending(BOB_1, 0, 10)).isEmpty();
  }

  @Test
  void anOldClientsSend_toOrFromAnAccountWithLinkedDevices_needsAnUpgrade() {
    assertThat(errorCode(oldSend(CAROL, "a", "bob"))).isEqualTo(ErrorCodes.UPGRADE_REQUIRED);
    assertThat(errorCode(oldSend(ALICE_1, "b", "carol"))).isEqualTo(ErrorCodes.UPGRADE_REQUIRED);
    db.addAccount("dave");
    assertThat(oldSend(CAROL, "c", "dave")).isEqualTo(new WireMessage.Accepted("c"));
    assertThat(messages.countPending()).isEqualTo(1);
  }

  @Test
  void aRemovedDevice_isNoLongerInTheSet_onceTheChangeIsAnnounced() {
    assertThat(sets.current("bob")).contains(new UserDevices("bob", 7, List.of(1, 3)));
    db.update("DELETE FROM device WHERE username = 'bob' AND device_id = 3");
    db.update("UPDATE device_list SET serial = 8 WHERE username = 'bob'");

    sets.changed("bob");

    assertThat(send(ALICE_1, "m", copy("bob", 1, 1)))
        .as("a send to the remaining device is current again")
        .isEqualTo(new WireMessage.Accepted("m"));
  }

  @Test
  void aCopyToTheSendersOwnDevice_isDeletedAtItsAck_andOwesNoReceipt() {
    FakeConnection alice1 = connect(ALICE_1);
    FakeConnection bob1 = connect(BOB_1);
    send(ALICE_1, "m", copy("bob", 1, 1), copy("bob", 3, 2), copy("alice", 2, 3));

    relay.acknowledge(ALICE_2, ALICE_1, "m", SentCopies.Copy.NOT_SENT_HERE);
    relay.acknowledge(BOB_1, ALICE_1, "m", SentCopies.Copy.NOT_SENT_HERE);
    awaitPending();

    assertThat(messages.pending(ALICE_2, 0, 10)).isEmpty();
    assertThat(messages.receipts(ALICE_1, 10))
        .as("bob's device owes alice a receipt, her own device does not")
        .containsExactly(new Receipt("m", "bob", 1));
    assertThat(alice1.receipts).containsExactly(new Receipt("m", "bob", 1));
    assertThat(bob1.receipts).isEmpty();
  }
}
