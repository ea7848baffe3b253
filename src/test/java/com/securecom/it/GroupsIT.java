package com.securecom.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.it.support.Api;
import com.securecom.it.support.ChannelClient;
import com.securecom.it.support.Deployments;
import com.securecom.it.support.TestUser;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.wire.ErrorCodes;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.protocol.wire.WireMessage.Copy;
import com.securecom.protocol.wire.WireMessage.UserDevices;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
 * Group messages end to end (issue 15): relay message version 5, where one {@code send} carries
 * copies to several users, against the built WAR with the default settings ({@code max-send-users}
 * 256, {@code max-copies} 1,024, {@code max-send-bytes} 737,280). Everything is all or nothing, and
 * a version 4 connection keeps the one-user rule.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GroupsIT {
  private static final Duration QUIET = Duration.ofMillis(700);
  private static final int V4 = WireMessage.DEVICES_VERSION;
  private static final int V5 = WireMessage.GROUPS_VERSION;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private Api api() {
    return new Api(base);
  }

  /** A group of four: Alice, Bob with devices 1 and 2 (list serial 1), Carol and Dave. */
  private record Group(
      String alice,
      String bob1,
      String bob2,
      String carol,
      String dave,
      String bob,
      List<String> names) {}

  private Group group() {
    List<TestUser> users = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    for (String prefix : List.of("alice", "bob", "carol", "dave")) {
      TestUser user = TestUser.named(prefix);
      users.add(user);
      tokens.add(api().signUp(user));
    }
    String bob2 = api().link(users.get(1), tokens.get(1), 1, 1, 2);
    return new Group(
        tokens.get(0),
        tokens.get(1),
        bob2,
        tokens.get(2),
        tokens.get(3),
        users.get(1).username,
        users.stream().map(u -> u.username).toList());
  }

  /** Alice's copies to every device of Bob, Carol and Dave: each envelope names its device. */
  private static List<Copy> toEveryone(Group g) {
    return List.of(
        new Copy(g.bob(), 1, envelope(g.bob() + ":1")),
        new Copy(g.bob(), 2, envelope(g.bob() + ":2")),
        new Copy(g.names().get(2), 1, envelope(g.names().get(2) + ":1")),
        new Copy(g.names().get(3), 1, envelope(g.names().get(3) + ":1")));
  }

  @Test
  void oneSend_reachesEveryDeviceOfThreeUsers_andTheSenderGetsOneReceiptPerDevice() {
    Group g = group();
    String alice = g.names().get(0);
    try (ChannelClient a = ChannelClient.caughtUp(api(), g.alice(), V5);
        ChannelClient b1 = ChannelClient.caughtUp(api(), g.bob1(), V5);
        ChannelClient b2 = ChannelClient.caughtUp(api(), g.bob2(), V4);
        ChannelClient c = ChannelClient.caughtUp(api(), g.carol(), V5);
        ChannelClient d = ChannelClient.caughtUp(api(), g.dave(), V5)) {
      assertThat(a.ready().version()).as("the server speaks version 5").isEqualTo(V5);
      assertThat(b2.ready().version()).as("a version 4 client still gets 4").isEqualTo(V4);
      String id = newId();
      a.send(new WireMessage.Send(id, toEveryone(g)));
      assertThat(a.expect(WireMessage.Accepted.class).id()).isEqualTo(id);

      List<ChannelClient> devices = List.of(b1, b2, c, d);
      List<WireMessage.Delivered> receipts = new ArrayList<>();
      for (int i = 0; i < devices.size(); i++) {
        Copy copy = toEveryone(g).get(i);
        WireMessage.Deliver deliver = devices.get(i).expect(WireMessage.Deliver.class);
        assertThat(deliver.id()).isEqualTo(id);
        assertThat(deliver.from()).isEqualTo(alice);
        assertThat(deliver.device()).as("alice's sending device").isEqualTo(1);
        assertThat(deliver.envelope())
            .as(copy.to() + ":" + copy.device())
            .isEqualTo(copy.envelope());
        devices.get(i).send(new WireMessage.Ack(id, alice, 1));
        receipts.add(a.expect(WireMessage.Delivered.class));
      }
      assertThat(receipts)
          .containsExactlyInAnyOrder(
              toEveryone(g).stream()
                  .map(copy -> new WireMessage.Delivered(id, copy.to(), copy.device()))
                  .toArray(WireMessage.Delivered[]::new));
      for (WireMessage.Delivered receipt : receipts) {
        a.send(new WireMessage.ReceiptAck(id, receipt.to(), receipt.device()));
      }
      a.sync();
      assertThat(a.next(QUIET)).as("one receipt per recipient device, nothing more").isNull();
    }
  }

  @Test
  void aSendNamingMoreUsersThanMaxSendUsers_isInvalid_andReachesNobody() {
    Group g = group();
    List<Copy> copies = new ArrayList<>(toEveryone(g));
    for (int i = 0; copies.size() < 4 + 254; i++) {
      copies.add(new Copy("nobody-" + i + "-" + g.bob().substring(4), 1, envelope("x")));
    }
    // bob, carol, dave and 254 users without accounts: 257 users, one over max-send-users. Check 2
    // comes before the accounts are looked up, so the unknown ones count and are not reported.
    try (ChannelClient a = ChannelClient.caughtUp(api(), g.alice(), V5);
        ChannelClient c = ChannelClient.caughtUp(api(), g.carol(), V5)) {
      String id = newId();
      a.send(new WireMessage.Send(id, copies));
      WireMessage.Error error = a.expect(WireMessage.Error.class);
      assertThat(error.code()).isEqualTo(ErrorCodes.INVALID_COPIES);
      assertThat(error.id()).isEqualTo(id);

      a.send(new WireMessage.Send(id, copies.subList(0, 4 + 253)));
      assertThat(a.expect(WireMessage.Error.class).code())
          .as("256 users pass check 2 and meet check 3")
          .isEqualTo(ErrorCodes.UNKNOWN_RECIPIENT);
      assertThat(c.next(QUIET)).as("nothing was stored for carol").isNull();
    }
  }

  @Test
  void oneUsersStaleDeviceSet_refusesTheWholeSend_namingExactlyThatUser() {
    Group g = group();
    List<Copy> copies = new ArrayList<>(toEveryone(g));
    copies.remove(1); // bob's device 2
    try (ChannelClient a = ChannelClient.caughtUp(api(), g.alice(), V5);
        ChannelClient c = ChannelClient.caughtUp(api(), g.carol(), V5);
        ChannelClient d = ChannelClient.caughtUp(api(), g.dave(), V5)) {
      String id = newId();
      a.send(new WireMessage.Send(id, copies));
      WireMessage.Error error = a.expect(WireMessage.Error.class);
      assertThat(error.code()).isEqualTo(ErrorCodes.STALE_DEVICES);
      assertThat(error.devices()).containsExactly(new UserDevices(g.bob(), 1, List.of(1, 2)));
      assertThat(c.next(QUIET)).as("nothing for carol").isNull();
      assertThat(d.next(Duration.ofMillis(100))).as("nothing for dave").isNull();
    }
    try (ChannelClient b1 = ChannelClient.caughtUp(api(), g.bob1(), V5)) {
      assertThat(b1.next(Duration.ofMillis(100))).as("nothing queued for bob").isNull();
    }
  }

  /**
   * Twelve envelopes of 61,441 bytes: each within max-envelope-bytes, together 737,292 bytes, over
   * max-send-bytes (737,280), in a frame below 1 MiB. The size is check 1, before any account.
   */
  @Test
  void envelopesTogetherOverMaxSendBytes_areTooLarge_andReachNobody() {
    Group g = group();
    String big = Bytes.base64(new byte[61_441]);
    List<Copy> copies = new ArrayList<>();
    copies.add(new Copy(g.names().get(2), 1, big));
    for (int i = 0; copies.size() < 12; i++) {
      copies.add(new Copy("ghost-" + i + "-" + g.bob().substring(4), 1, big));
    }
    try (ChannelClient a = ChannelClient.caughtUp(api(), g.alice(), V5);
        ChannelClient c = ChannelClient.caughtUp(api(), g.carol(), V5)) {
      String id = newId();
      a.send(new WireMessage.Send(id, copies));
      assertThat(a.expect(WireMessage.Error.class).code()).isEqualTo(ErrorCodes.ENVELOPE_TOO_LARGE);
      assertThat(c.next(QUIET)).isNull();
    }
  }

  @Test
  void aVersion4Connection_sendingToTwoOtherUsers_stillGetsInvalidCopies() {
    Group g = group();
    try (ChannelClient a = ChannelClient.caughtUp(api(), g.alice(), V4);
        ChannelClient c = ChannelClient.caughtUp(api(), g.carol(), V5)) {
      assertThat(a.ready().version()).isEqualTo(V4);
      String id = newId();
      a.send(new WireMessage.Send(id, toEveryone(g).subList(2, 4)));
      assertThat(a.expect(WireMessage.Error.class).code()).isEqualTo(ErrorCodes.INVALID_COPIES);
      assertThat(c.next(QUIET)).isNull();
    }
  }

  @Test
  void aRetryOfTheSameGroupSend_isAcceptedAgain_andDeliveredOnce() {
    Group g = group();
    String id = newId();
    try (ChannelClient a = ChannelClient.caughtUp(api(), g.alice(), V5)) {
      a.send(new WireMessage.Send(id, toEveryone(g)));
      a.expect(WireMessage.Accepted.class);
      a.send(new WireMessage.Send(id, toEveryone(g)));
      assertThat(a.expect(WireMessage.Accepted.class).id()).isEqualTo(id);
    }
    for (String token : List.of(g.bob1(), g.bob2(), g.carol(), g.dave())) {
      try (ChannelClient device = ChannelClient.open(api(), token, V5)) {
        assertThat(device.expect(WireMessage.Deliver.class).id()).isEqualTo(id);
        device.expect(WireMessage.CaughtUp.class);
      }
    }
  }

  /** A hundred members of one device each, in one frame: each gets exactly one delivery. */
  @Test
  void aHundredUsers_inOneSend_eachGetExactlyOneDelivery() {
    TestUser alice = TestUser.named("alice");
    String aliceToken = api().signUp(alice);
    List<String> tokens = new ArrayList<>();
    List<Copy> copies = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      TestUser member = TestUser.named("member");
      tokens.add(api().signUp(member));
      copies.add(new Copy(member.username, 1, envelope("to " + member.username)));
    }
    String id = newId();
    try (ChannelClient a = ChannelClient.caughtUp(api(), aliceToken, V5)) {
      a.send(new WireMessage.Send(id, copies));
      assertThat(a.expect(WireMessage.Accepted.class).id()).isEqualTo(id);
    }
    for (int i = 0; i < tokens.size(); i++) {
      try (ChannelClient member = ChannelClient.open(api(), tokens.get(i), V5)) {
        WireMessage.Deliver deliver = member.expect(WireMessage.Deliver.class);
        assertThat(deliver.from()).isEqualTo(alice.username);
        assertThat(deliver.envelope()).isEqualTo(copies.get(i).envelope());
        member.expect(WireMessage.CaughtUp.class);
        member.send(new WireMessage.Ack(id, alice.username, 1));
        member.sync();
      }
    }
  }

  private static String envelope(String text) {
    return Bytes.base64(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }
}
