package com.securecom.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.it.support.Api;
import com.securecom.it.support.ChannelClient;
import com.securecom.it.support.Deployments;
import com.securecom.it.support.TestUser;
import com.securecom.protocol.channel.CloseCodes;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.wire.ErrorCodes;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.protocol.wire.WireMessage.Copy;
import com.securecom.protocol.wire.WireMessage.UserDevices;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Linked devices end to end (issue 14): a device linked through the API (ticket, then the new
 * device's registration with a list the account's identity key signed), and relay message version 4
 * between the devices of two accounts: one envelope per device, per-device receipts, the sender's
 * own copies, stale sets, old clients, removal.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LinkedDevicesIT {
  private static final Duration QUIET = Duration.ofMillis(700);
  private static final int V4 = WireMessage.DEVICES_VERSION;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private Api api() {
    return new Api(base);
  }

  /** Alice with devices 1 and 2 (list serial 1), both logged in. */
  private record Alice(TestUser user, String device1, String device2) {}

  private Alice aliceWithTwoDevices() {
    TestUser alice = TestUser.named("alice");
    String device1 = api().signUp(alice);
    String device2 = api().link(alice, device1, 1, 1, 2);
    return new Alice(alice, device1, device2);
  }

  @Test
  void aDeviceLinkedWithATicket_hasItsOwnTokenAndConnection_besideTheFirst() {
    Alice alice = aliceWithTwoDevices();

    JsonObject own = api().get("api/devices", alice.device1()).json();
    assertThat(own.getJsonArray("devices"))
        .extracting(d -> ((JsonObject) d).getInt("deviceId"))
        .containsExactly(1, 2);
    assertThat(own.getJsonArray("devices").getJsonObject(1).getString("name"))
        .isEqualTo("test device");
    try (ChannelClient one = caughtUp(alice.device1(), V4);
        ChannelClient two = caughtUp(alice.device2(), V4)) {
      assertThat(one.ready().device()).isEqualTo(1);
      assertThat(two.ready().device()).isEqualTo(2);
      one.sync();
      two.sync();
      assertThat(one.isOpen() && two.isOpen())
          .as("devices of one account are connected side by side (no 4409)")
          .isTrue();
    }
  }

  @Test
  void aSendToEveryDevice_reachesEachWithItsOwnEnvelope_andEachDeviceAcknowledgesForItself() {
    Alice alice = aliceWithTwoDevices();
    TestUser bob = TestUser.named("bob");
    String bobToken = api().signUp(bob);
    try (ChannelClient b = caughtUp(bobToken, V4);
        ChannelClient a1 = caughtUp(alice.device1(), V4);
        ChannelClient a2 = caughtUp(alice.device2(), V4)) {
      String id = newId();
      String to = alice.user().username;
      b.send(
          new WireMessage.Send(
              id, List.of(new Copy(to, 1, envelope("for 1")), new Copy(to, 2, envelope("for 2")))));
      b.expect(WireMessage.Accepted.class);

      WireMessage.Deliver first = a1.expect(WireMessage.Deliver.class);
      WireMessage.Deliver second = a2.expect(WireMessage.Deliver.class);
      assertThat(first.envelope()).isEqualTo(envelope("for 1"));
      assertThat(second.envelope()).isEqualTo(envelope("for 2"));
      for (WireMessage.Deliver deliver : List.of(first, second)) {
        assertThat(deliver.id()).isEqualTo(id);
        assertThat(deliver.from()).isEqualTo(bob.username);
        assertThat(deliver.device()).as("bob's sending device").isEqualTo(1);
      }

      a2.send(new WireMessage.Ack(id, bob.username, 1));
      assertThat(b.expect(WireMessage.Delivered.class))
          .isEqualTo(new WireMessage.Delivered(id, to, 2));
      a1.send(new WireMessage.Ack(id, bob.username, 1));
      assertThat(b.expect(WireMessage.Delivered.class))
          .isEqualTo(new WireMessage.Delivered(id, to, 1));
      b.send(new WireMessage.ReceiptAck(id, to, 2));
      b.send(new WireMessage.ReceiptAck(id, to, 1));
      b.sync();
    }
    try (ChannelClient b = caughtUp(bobToken, V4)) {
      assertThat(b.next(QUIET)).as("both receipts were forgotten").isNull();
    }
  }

  /** The "sent" transcript: a copy to one's own other device owes no relay receipt. */
  @Test
  void aCopyToTheSendersOtherDevice_isDelivered_andItsAckSendsNoReceipt() {
    Alice alice = aliceWithTwoDevices();
    TestUser bob = TestUser.named("bob");
    String bobToken = api().signUp(bob);
    try (ChannelClient b = caughtUp(bobToken, V4);
        ChannelClient a1 = caughtUp(alice.device1(), V4);
        ChannelClient a2 = caughtUp(alice.device2(), V4)) {
      String id = newId();
      String me = alice.user().username;
      a1.send(
          new WireMessage.Send(
              id,
              List.of(
                  new Copy(bob.username, 1, envelope("hi bob")),
                  new Copy(me, 2, envelope("sent: hi bob")))));
      a1.expect(WireMessage.Accepted.class);

      WireMessage.Deliver transcript = a2.expect(WireMessage.Deliver.class);
      assertThat(transcript.from()).isEqualTo(me);
      assertThat(transcript.device()).isEqualTo(1);
      a2.send(new WireMessage.Ack(id, me, 1));
      assertThat(b.expect(WireMessage.Deliver.class).device()).isEqualTo(1);
      b.send(new WireMessage.Ack(id, me, 1));

      assertThat(a1.expect(WireMessage.Delivered.class))
          .isEqualTo(new WireMessage.Delivered(id, bob.username, 1));
      assertThat(a1.next(QUIET)).as("no receipt for alice's own device").isNull();
    }
  }

  @Test
  void aSendThatMissesADevice_isRefusedAsStale_namingTheServersSet_andReachesNobody() {
    Alice alice = aliceWithTwoDevices();
    TestUser bob = TestUser.named("bob");
    try (ChannelClient b = caughtUp(api().signUp(bob), V4);
        ChannelClient a1 = caughtUp(alice.device1(), V4)) {
      String id = newId();
      b.send(
          new WireMessage.Send(
              id, List.of(new Copy(alice.user().username, 1, envelope("only one")))));

      WireMessage.Error error = b.expect(WireMessage.Error.class);
      assertThat(error.id()).isEqualTo(id);
      assertThat(error.code()).isEqualTo(ErrorCodes.STALE_DEVICES);
      assertThat(error.devices())
          .containsExactly(new UserDevices(alice.user().username, 1, List.of(1, 2)));
      assertThat(a1.next(QUIET)).isNull();
    }
  }

  @Test
  void oldClients_cannotUseOrReachAnAccountWithLinkedDevices() {
    TestUser alice = TestUser.named("alice");
    String device1 = api().signUp(alice);
    TestUser bob = TestUser.named("bob");
    String bobToken = api().signUp(bob);
    try (ChannelClient oldAlice = caughtUp(device1, 3)) {
      api().link(alice, device1, 1, 1, 2);

      assertThat(oldAlice.awaitCloseCode())
          .as("a live version 3 connection, when the account gains a device")
          .isEqualTo(CloseCodes.UPGRADE_REQUIRED);
    }
    try (ChannelClient again = ChannelClient.connect(api())) {
      again.handshake(api().serverKey());
      again.send(new WireMessage.Auth(device1, 3));
      assertThat(again.awaitCloseCode()).isEqualTo(CloseCodes.UPGRADE_REQUIRED);
    }
    try (ChannelClient oldBob = caughtUp(bobToken, 3);
        ChannelClient a1 = caughtUp(device1, V4)) {
      String id = newId();
      oldBob.send(new WireMessage.Send(id, alice.username, envelope("hello")));
      WireMessage.Error refused = oldBob.expect(WireMessage.Error.class);
      assertThat(refused.id()).isEqualTo(id);
      assertThat(refused.code()).isEqualTo(ErrorCodes.UPGRADE_REQUIRED);
      assertThat(a1.next(QUIET)).as("nothing was stored for alice").isNull();
    }
    try (ChannelClient a1 = caughtUp(device1, V4)) {
      assertThat(a1.next(QUIET)).as("nor queued for her next connection").isNull();
    }
  }

  /**
   * The old-client rule touches only accounts with linked devices: two legacy users are as before.
   */
  @Test
  void oldClientsOfAccountsWithOneDevice_keepSendingAsBefore() {
    TestUser carol = TestUser.named("carol");
    TestUser bob = TestUser.named("bob");
    String carolToken = api().signUp(carol);
    String bobToken = api().signUp(bob);
    String id = newId();
    try (ChannelClient oldCarol = caughtUp(carolToken, 3)) {
      oldCarol.send(new WireMessage.Send(id, bob.username, envelope("still works")));
      assertThat(oldCarol.expect(WireMessage.Accepted.class).id()).isEqualTo(id);

      try (ChannelClient oldBob = ChannelClient.open(api(), bobToken, 3)) {
        assertThat(oldBob.ready().device()).as("no device below version 4").isZero();
        WireMessage.Deliver deliver = oldBob.expect(WireMessage.Deliver.class);
        assertThat(deliver)
            .isEqualTo(
                new WireMessage.Deliver(
                    id, carol.username, envelope("still works"), deliver.sentAt()));
        oldBob.expect(WireMessage.CaughtUp.class);
        oldBob.send(new WireMessage.Ack(id, carol.username));

        assertThat(oldCarol.expect(WireMessage.Delivered.class))
            .as("the receipt of a version 3 connection, without a device")
            .isEqualTo(new WireMessage.Delivered(id, bob.username));
        oldCarol.send(new WireMessage.ReceiptAck(id));
        oldCarol.sync();
      }
    }
    try (ChannelClient oldCarol = caughtUp(carolToken, 3)) {
      assertThat(oldCarol.next(QUIET)).as("the receipt was forgotten").isNull();
    }
  }

  /**
   * An old client's ack names the sender only: it must still acknowledge a message that came from
   * the sender's second device, or that message would be delivered again on every connection.
   */
  @Test
  void anOldRecipientsAck_acknowledgesAMessageFromTheSendersSecondDevice() {
    Alice alice = aliceWithTwoDevices();
    TestUser carol = TestUser.named("carol");
    String carolToken = api().signUp(carol);
    String id = newId();
    try (ChannelClient a2 = caughtUp(alice.device2(), V4);
        ChannelClient oldCarol = caughtUp(carolToken, 3)) {
      a2.send(
          new WireMessage.Send(
              id,
              List.of(
                  new Copy(carol.username, 1, envelope("from device 2")),
                  new Copy(alice.user().username, 1, envelope("sent: from device 2")))));
      a2.expect(WireMessage.Accepted.class);
      WireMessage.Deliver deliver = oldCarol.expect(WireMessage.Deliver.class);
      assertThat(deliver.device()).as("no device below version 4").isZero();

      oldCarol.send(new WireMessage.Ack(id, alice.user().username));

      assertThat(a2.expect(WireMessage.Delivered.class))
          .isEqualTo(new WireMessage.Delivered(id, carol.username, 1));
    }
    try (ChannelClient oldCarol = caughtUp(carolToken, 3)) {
      assertThat(oldCarol.next(QUIET)).as("nothing delivered again").isNull();
    }
  }

  /**
   * Bob's send is refused as stale before the removal (so the server holds alice's set {1, 2}), and
   * the same send is accepted right after it: the removal's set is used at once, not a minute
   * later.
   */
  @Test
  void removingADevice_closesIt_tellsTheOthers_andLaterSendsGoToTheRestOnly() {
    Alice alice = aliceWithTwoDevices();
    String to = alice.user().username;
    TestUser bob = TestUser.named("bob");
    try (ChannelClient b = caughtUp(api().signUp(bob), V4);
        ChannelClient a1 = caughtUp(alice.device1(), V4);
        ChannelClient a2 = caughtUp(alice.device2(), V4)) {
      String id = newId();
      WireMessage.Send toDevice1 =
          new WireMessage.Send(id, List.of(new Copy(to, 1, envelope("just one now"))));
      b.send(toDevice1);
      assertThat(b.expect(WireMessage.Error.class).devices())
          .as("before the removal")
          .containsExactly(new UserDevices(to, 1, List.of(1, 2)));

      assertThat(
              api()
                  .put(
                      "api/devices/list",
                      alice.device1(),
                      alice.user().deviceListUpload(alice.user().identity, 2, 2, 1))
                  .status())
          .isEqualTo(204);

      assertThat(a2.awaitCloseCode()).isEqualTo(CloseCodes.DEVICE_REMOVED);
      assertThat(a1.expect(WireMessage.DevicesChanged.class).serial()).isEqualTo(2);

      b.send(toDevice1);
      assertThat(b.expect(WireMessage.Accepted.class).id())
          .as("the same send, right after the removal")
          .isEqualTo(id);
      assertThat(a1.expect(WireMessage.Deliver.class).envelope())
          .isEqualTo(envelope("just one now"));
    }
    assertThat(api().get("api/devices", alice.device2()).status()).isEqualTo(401);
  }

  /**
   * The mirror of removal: a send to a device the server does not know is stale until the device is
   * linked, and accepted at once after; the account's connected device is told.
   */
  @Test
  void linkingADevice_tellsTheConnectedDevice_andSendsToItAreAcceptedAtOnce() {
    TestUser alice = TestUser.named("alice");
    String device1 = api().signUp(alice);
    TestUser bob = TestUser.named("bob");
    try (ChannelClient b = caughtUp(api().signUp(bob), V4);
        ChannelClient a1 = caughtUp(device1, V4)) {
      String id = newId();
      WireMessage.Send toBoth =
          new WireMessage.Send(
              id,
              List.of(
                  new Copy(alice.username, 1, envelope("for 1")),
                  new Copy(alice.username, 2, envelope("for 2"))));
      b.send(toBoth);
      assertThat(b.expect(WireMessage.Error.class).devices())
          .as("before the link: a legacy account, serial 0, device 1")
          .containsExactly(new UserDevices(alice.username, 0, List.of(1)));

      String device2 = api().link(alice, device1, 1, 1, 2);

      assertThat(a1.expect(WireMessage.DevicesChanged.class).serial()).isEqualTo(1);
      b.send(toBoth);
      assertThat(b.expect(WireMessage.Accepted.class).id())
          .as("the same send, right after the link")
          .isEqualTo(id);
      assertThat(a1.expect(WireMessage.Deliver.class).envelope()).isEqualTo(envelope("for 1"));
      try (ChannelClient a2 = ChannelClient.open(api(), device2, V4)) {
        assertThat(a2.expect(WireMessage.Deliver.class).envelope()).isEqualTo(envelope("for 2"));
        a2.expect(WireMessage.CaughtUp.class);
      }
    }
  }

  /**
   * Linking fails closed: a wrong or reused ticket, a list the account's key did not sign, and each
   * time the account's devices are as they were.
   */
  @Test
  void aLinkWithAWrongTicket_orAListTheAccountDidNotSign_changesNothing() {
    TestUser alice = TestUser.named("alice");
    String device1 = api().signUp(alice);
    String ticket =
        api()
            .post("api/devices/tickets", device1, Json.createObjectBuilder().build())
            .json()
            .getString("ticket");

    Api.Reply wrongTicket =
        api().post("api/devices", null, alice.linkRequest("A".repeat(43), 1, null, 1, 2));
    assertThat(wrongTicket.status()).isEqualTo(401);
    assertThat(wrongTicket.json().getString("code")).isEqualTo("invalid_ticket");

    JsonObject forged = alice.linkRequest(ticket, 1, null, 1, 2);
    JsonObject otherSigner =
        alice.deviceListUpload(Ed25519.generate(new SecureRandom()), 1, 2, 1, 2);
    JsonObject forgedRequest =
        Json.createObjectBuilder(forged)
            .add("deviceList", otherSigner.getJsonObject("deviceList"))
            .build();
    Api.Reply notSigned = api().post("api/devices", null, forgedRequest);
    assertThat(notSigned.status()).isEqualTo(400);
    assertThat(notSigned.json().getString("code")).isEqualTo("invalid_signature");
    assertThat(devicesOf(alice, device1)).containsExactly(1);

    assertThat(api().post("api/devices", null, alice.linkRequest(ticket, 1, null, 1, 2)).status())
        .as("the ticket survived the refusals")
        .isEqualTo(201);
    Api.Reply reused = api().post("api/devices", null, alice.linkRequest(ticket, 2, null, 1, 2, 3));
    assertThat(reused.status()).isEqualTo(401);
    assertThat(devicesOf(alice, device1)).containsExactly(1, 2);
  }

  /**
   * The provisioning mailbox: the new device opens it without an account, the existing device fills
   * it once, the new device takes the bytes once, as they were put; the server answers unknown,
   * malformed and used ids alike.
   */
  @Test
  void aLinkMailbox_carriesOneOpaqueMessage_fromTheExistingDeviceToTheNewOne_once() {
    TestUser alice = TestUser.named("alice");
    String device1 = api().signUp(alice);
    String mailbox = HexFormat.of().formatHex(randomBytes(16));
    byte[] sealed = randomBytes(1500);
    JsonObject message = Json.createObjectBuilder().add("message", Bytes.base64(sealed)).build();

    Api.Reply opened =
        api().post("api/links", null, Json.createObjectBuilder().add("mailbox", mailbox).build());
    assertThat(opened.status()).isEqualTo(201);
    assertThat(opened.json().getString("expiresAt")).endsWith("Z");
    assertThat(api().get("api/links/" + mailbox, null).status()).as("still empty").isEqualTo(204);
    assertThat(api().put("api/links/" + mailbox, null, message).status())
        .as("only a logged-in device fills a mailbox")
        .isEqualTo(401);
    assertThat(api().put("api/links/" + mailbox, device1, message).status()).isEqualTo(204);
    Api.Reply again = api().put("api/links/" + mailbox, device1, message);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().getString("code")).isEqualTo("link_used");

    Api.Reply taken = api().get("api/links/" + mailbox, null);
    assertThat(taken.status()).isEqualTo(200);
    assertThat(Bytes.fromCanonicalBase64(taken.json().getString("message"))).isEqualTo(sealed);
    for (String gone : List.of(mailbox, "0".repeat(32), "not-a-mailbox")) {
      Api.Reply unknown = api().get("api/links/" + gone, null);
      assertThat(unknown.status()).as(gone).isEqualTo(404);
      assertThat(unknown.json().getString("code")).isEqualTo("unknown_link");
    }
    assertThat(api().put("api/links/" + mailbox, device1, message).status())
        .as("a taken mailbox is gone")
        .isEqualTo(404);
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  /**
   * A version 4 connection may send frames up to 1 MiB after ready (a send with one envelope per
   * device); below version 4 the limit stays 98,304 bytes.
   */
  @Test
  void largeFrames_areAcceptedAtVersion4_only() {
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    String aliceToken = api().signUp(alice);
    api().signUp(bob);
    List<Copy> copies = new ArrayList<>();
    copies.add(new Copy(bob.username, 1, Bytes.base64(new byte[65_536])));
    String padding = "x".repeat(500_000);
    try (ChannelClient a = caughtUp(aliceToken, V4)) {
      String id = newId();
      a.sendRaw(a.sealPlaintext(sendWithPadding(id, copies, padding)));
      assertThat(a.expect(WireMessage.Accepted.class).id()).isEqualTo(id);
    }
    try (ChannelClient a = caughtUp(aliceToken, 3)) {
      String id = newId();
      a.sendRaw(
          a.sealPlaintext(
              ("{\"type\":\"send\",\"id\":\""
                      + id
                      + "\",\"to\":\""
                      + bob.username
                      + "\",\"envelope\":\"AQ==\",\"padding\":\""
                      + padding
                      + "\"}")
                  .getBytes(StandardCharsets.UTF_8)));
      assertThat(a.awaitCloseCode()).isEqualTo(CloseCodes.TOO_BIG);
    }
  }

  private static byte[] sendWithPadding(String id, List<Copy> copies, String padding) {
    StringBuilder json = new StringBuilder("{\"type\":\"send\",\"id\":\"" + id + "\",\"copies\":[");
    for (int i = 0; i < copies.size(); i++) {
      Copy c = copies.get(i);
      json.append(i == 0 ? "" : ",")
          .append("{\"to\":\"")
          .append(c.to())
          .append("\",\"device\":")
          .append(c.device())
          .append(",\"envelope\":\"")
          .append(c.envelope())
          .append("\"}");
    }
    json.append("],\"padding\":\"").append(padding).append("\"}");
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A connection offering {@code version}, past its (empty) catch-up. */
  private ChannelClient caughtUp(String token, int version) {
    return ChannelClient.caughtUp(api(), token, version);
  }

  private List<Integer> devicesOf(TestUser user, String token) {
    return api().get("api/devices", token).json().getJsonArray("devices").stream()
        .map(d -> ((JsonObject) d).getInt("deviceId"))
        .toList();
  }

  private static String envelope(String text) {
    return Bytes.base64(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }
}
