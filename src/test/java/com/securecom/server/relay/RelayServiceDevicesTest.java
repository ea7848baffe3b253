package com.securecom.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.wire.ErrorCodes;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.protocol.wire.WireMessage.Copy;
import com.securecom.protocol.wire.WireMessage.UserDevices;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DeviceSets;
import com.securecom.server.relay.GroupCommitTest.PlainThreads;
import com.securecom.server.relay.RelayServiceFastPathTest.FakeConnection;
import com.securecom.server.relay.RelayServiceFastPathTest.NoOtherNodes;
import com.securecom.server.relay.RelayServiceFastPathTest.RecordingOtherNodes;
import com.securecom.server.relay.RelayServiceFastPathTest.SilentMetrics;
import com.securecom.server.relay.store.JpaMessageRepository;
import com.securecom.server.testing.InMemoryDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sends to device sets (relay message version 4) and the old-client rule, over the real group
 * commit, repository and device sets: each check of docs/protocol.md's "Sending to a device set" in
 * its order, what is stored (all copies or none), and where each copy goes.
 *
 * <p>Alice has devices 1 and 2 (list serial 4), Bob devices 1 and 3 (serial 7), Carol is legacy
 * (device 1, no list). Alice sends from device 1.
 */
class RelayServiceDevicesTest {
  private static final DeviceAddress ALICE_1 = DeviceAddress.first("alice");
  private static final DeviceAddress ALICE_2 = new DeviceAddress("alice", 2);
  private static final DeviceAddress BOB_1 = DeviceAddress.first("bob");
  private static final DeviceAddress BOB_3 = new DeviceAddress("bob", 3);
  private static final DeviceAddress CAROL = DeviceAddress.first("carol");

  private InMemoryDatabase db;
  private JpaMessageRepository messages;
  private GroupCommit writes;
  private ConnectionRegistry connections;
  private DeviceSets sets;
  private RelaySettings settings;
  private RelayService relay;
  private final RecordingOtherNodes otherNodes = new RecordingOtherNodes();

  @BeforeEach
  void start() {
    db = InMemoryDatabase.open();
    for (String user : List.of("alice", "bob", "carol")) {
      db.addAccount(user);
    }
    db.addDevice(ALICE_2);
    db.addDevice(BOB_3);
    storedListSerial("alice", 4);
    storedListSerial("bob", 7);
    messages = new JpaMessageRepository(db.database(), Clock.systemUTC());
    settings = new RelaySettings();
    settings.fastPathWindow = Duration.ZERO;
    RelayMetrics metrics = new SilentMetrics();
    writes = new GroupCommit(messages, settings, metrics);
    writes.threads = new PlainThreads();
    writes.start();
    connections = new ConnectionRegistry(new NoOtherNodes());
    sets = db.deviceSets();
    relay =
        new RelayService(
            messages,
            sets,
            writes,
            connections,
            otherNodes,
            settings,
            metrics,
            Clock.systemUTC(),
            new FastPath(settings, Clock.systemUTC()));
  }

  @AfterEach
  void stop() {
    writes.stop();
    db.close();
  }

  /**
   * The relay reads only a list's serial (the lists themselves are checked where they are stored),
   * so a placeholder body stands for a signed list here.
   */
  private void storedListSerial(String user, long serial) {
    db.update(
        "INSERT INTO device_list (username, serial, body, signature, updated_at)"
            + " VALUES (?1, ?2, ?3, ?4, 0)",
        user,
        serial,
        new byte[] {1},
        new byte[64]);
  }

  @Test
  void
      aSendToEveryDeviceOfTheRecipient_andTheSendersOthers_isStoredOncePerDevice_andHandedToEach() {
    FakeConnection bob3 = connect(BOB_3);
    FakeConnection alice2 = connect(ALICE_2);

    WireMessage answer =
        send(ALICE_1, "m", copy("bob", 1, 1), copy("bob", 3, 2), copy("alice", 2, 3));

    assertThat(answer).isEqualTo(new WireMessage.Accepted("m"));
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

  private void awaitPending() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    relay.afterPending(() -> done.complete(null));
    done.join();
  }

  private FakeConnection connect(DeviceAddress device) {
    FakeConnection connection = new FakeConnection(device, new byte[0]);
    connections.register(connection);
    return connection;
  }

  private static Copy copy(String to, int device, int envelopeByte) {
    return new Copy(to, device, Bytes.base64(new byte[] {(byte) envelopeByte}));
  }

  private WireMessage send(DeviceAddress sender, String id, Copy... copies) {
    return answerTo(sender, new WireMessage.Send(id, new ArrayList<>(List.of(copies))));
  }

  private WireMessage oldSend(DeviceAddress sender, String id, String to) {
    return answerTo(sender, new WireMessage.Send(id, to, Bytes.base64(new byte[] {1})));
  }

  private WireMessage answerTo(DeviceAddress sender, WireMessage.Send send) {
    CompletableFuture<WireMessage> answer = new CompletableFuture<>();
    relay.send(sender, send, answer::complete);
    try {
      return answer.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("no answer", e);
    }
  }

  private static String errorCode(WireMessage answer) {
    assertThat(answer).isInstanceOf(WireMessage.Error.class);
    return ((WireMessage.Error) answer).code();
  }
}
