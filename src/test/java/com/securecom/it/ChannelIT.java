package com.securecom.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.it.support.Api;
import com.securecom.it.support.ChannelClient;
import com.securecom.it.support.Deployments;
import com.securecom.it.support.RawWebSocket;
import com.securecom.it.support.TestUser;
import com.securecom.protocol.channel.CloseCodes;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.wire.WireMessage;
import jakarta.json.JsonObject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
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
 * The channel and the relay through the real WebSocket stack, with a client that implements the
 * client half of the protocol: handshake, authentication, sealed frames, every close code, and the
 * send/deliver/ack/delivered flow.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ChannelIT {
  private static final Duration QUIET = Duration.ofMillis(700);

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private Api api() {
    return new Api(base);
  }

  private static String envelope(String text) {
    return Bytes.base64(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }

  @Test
  void sendDeliverAckDelivered_betweenTwoOnlineUsers() {
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    try (ChannelClient a = ChannelClient.open(api(), api().signUp(alice));
        ChannelClient b = ChannelClient.open(api(), api().signUp(bob))) {
      String id = newId();
      a.send(new WireMessage.Send(id, bob.username, envelope("hello bob")));
      assertThat(a.expect(WireMessage.Accepted.class).id()).isEqualTo(id);

      WireMessage.Deliver deliver = b.expect(WireMessage.Deliver.class);
      assertThat(deliver.id()).isEqualTo(id);
      assertThat(deliver.from()).isEqualTo(alice.username);
      assertThat(deliver.envelope()).isEqualTo(envelope("hello bob"));
      assertThat(deliver.sentAt()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");

      b.send(new WireMessage.Ack(id, alice.username));
      WireMessage.Delivered delivered = a.expect(WireMessage.Delivered.class);
      assertThat(delivered.id()).isEqualTo(id);
      assertThat(delivered.to()).isEqualTo(bob.username);
      a.send(new WireMessage.ReceiptAck(id));
    }
  }

  /**
   * The guard for the container's per-frame cost: every frame Tyrus handles re-arms an idle timer,
   * and those timers must go to the relay's plain executor, never to Payara's managed scheduled
   * executor (whose per-task context capture scans jars). If a container update or a configuration
   * change sends them back, the counter stops moving.
   */
  @Test
  void relayedFrames_armTheirIdleTimersOnThePlainExecutor_notOnAManagedOne() {
    assertThat(metric("securecom_websocket_plain_timers")).isEqualTo(1);
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    try (ChannelClient a = ChannelClient.open(api(), api().signUp(alice));
        ChannelClient b = ChannelClient.open(api(), api().signUp(bob))) {
      long before = metric("securecom_websocket_timer_tasks");
      int messages = 20;
      for (int i = 0; i < messages; i++) {
        String id = newId();
        a.send(new WireMessage.Send(id, bob.username, envelope("timer " + i)));
        a.expect(WireMessage.Accepted.class);
        b.send(new WireMessage.Ack(b.expect(WireMessage.Deliver.class).id(), alice.username));
        a.expect(WireMessage.Delivered.class);
        a.send(new WireMessage.ReceiptAck(id));
      }
      // each message: send, ack and receiptAck received, accepted, deliver and delivered sent: six
      // frames
      assertThat(metric("securecom_websocket_timer_tasks") - before)
          .isGreaterThanOrEqualTo(4L * messages);
    }
  }

  private long metric(String name) {
    String body = api().get("/metrics", null).raw().body();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.eE+-]+)$")
            .matcher(body);
    assertThat(m.find()).as("metric %s in %n%s", name, body).isTrue();
    return (long) Double.parseDouble(m.group(1));
  }

  /**
   * {@code GET /api/devices} shows its owner what is queued for each device and when it last
   * connected (so a client can offer to remove one whose queue fills up or that is gone): the
   * undelivered messages and their envelope bytes, down to nothing once they were acknowledged.
   */
  @Test
  void theOwnersListOfDevices_showsWhatIsQueuedForEach_andWhenEachLastConnected() {
    Instant started = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    String aliceToken = api().signUp(alice);
    String bobToken = api().signUp(bob);
    List<String> ids = new ArrayList<>();
    try (ChannelClient a = ChannelClient.open(api(), aliceToken)) {
      for (String text : List.of("first", "second one")) {
        String id = newId();
        ids.add(id);
        a.send(new WireMessage.Send(id, bob.username, envelope(text)));
        assertThat(a.expect(WireMessage.Accepted.class).id()).isEqualTo(id);
      }
    }

    JsonObject queued =
        api().get("api/devices", bobToken).json().getJsonArray("devices").getJsonObject(0);
    assertThat(queued.containsKey("lastSeenAt")).as("bob never connected").isFalse();
    assertThat(queued.getInt("deviceId")).isEqualTo(1);
    assertThat(queued.getJsonNumber("queued").longValue()).isEqualTo(2);
    assertThat(queued.getJsonNumber("queuedBytes").longValue())
        .isEqualTo("first".length() + "second one".length());

    try (ChannelClient b = ChannelClient.open(api(), bobToken)) {
      for (String id : ids) {
        WireMessage.Deliver d = b.expect(WireMessage.Deliver.class);
        assertThat(d.id()).isEqualTo(id);
        b.send(new WireMessage.Ack(d.id(), d.from()));
      }
      b.sync();
    }
    JsonObject drained =
        api().get("api/devices", bobToken).json().getJsonArray("devices").getJsonObject(0);
    assertThat(Instant.parse(drained.getString("lastSeenAt")))
        .as("bob's device connected during this test")
        .isBetween(started, Instant.now());
    assertThat(drained.getJsonNumber("queued").longValue()).isZero();
    assertThat(drained.getJsonNumber("queuedBytes").longValue()).isZero();
  }

  @Test
  void offlineRecipient_getsQueuedMessagesInOrder_onConnect_andTheSenderItsReceiptsLater() {
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    String aliceToken = api().signUp(alice);
    String bobToken = api().signUp(bob);
    List<String> ids = new ArrayList<>();
    try (ChannelClient a = ChannelClient.open(api(), aliceToken)) {
      for (int i = 0; i < 120; i++) {
        String id = newId();
        ids.add(id);
        a.send(new WireMessage.Send(id, bob.username, envelope("message " + i)));
        assertThat(a.expect(WireMessage.Accepted.class).id()).isEqualTo(id);
      }
    }
    try (ChannelClient b = ChannelClient.open(api(), bobToken)) {
      for (int i = 0; i < 120; i++) {
        WireMessage.Deliver d = b.expect(WireMessage.Deliver.class);
        assertThat(d.id()).isEqualTo(ids.get(i));
        assertThat(d.envelope()).isEqualTo(envelope("message " + i));
        b.send(new WireMessage.Ack(d.id(), d.from()));
      }
      b.sync();
    }
    try (ChannelClient a = ChannelClient.open(api(), aliceToken)) {
      List<String> receipted = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        WireMessage.Delivered r = a.expect(WireMessage.Delivered.class);
        receipted.add(r.id());
        a.send(new WireMessage.ReceiptAck(r.id()));
      }
      a.sync();
      assertThat(receipted).containsExactlyInAnyOrderElementsOf(ids);
    }
    try (ChannelClient a = ChannelClient.open(api(), aliceToken)) {
      assertThat(a.next(QUIET)).as("receipts are forgotten once seen").isNull();
    }
  }

  @Test
  void unacknowledgedMessage_isDeliveredAgainOnTheNextConnection() {
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    String bobToken = api().signUp(bob);
    try (ChannelClient a = ChannelClient.open(api(), api().signUp(alice))) {
      a.send(new WireMessage.Send("m1", bob.username, envelope("once")));
      a.expect(WireMessage.Accepted.class);
    }
    try (ChannelClient b = ChannelClient.open(api(), bobToken)) {
      assertThat(b.expect(WireMessage.Deliver.class).id()).isEqualTo("m1");
    }
    try (ChannelClient b = ChannelClient.open(api(), bobToken)) {
      WireMessage.Deliver again = b.expect(WireMessage.Deliver.class);
      assertThat(again.id()).isEqualTo("m1");
      b.send(new WireMessage.Ack("m1", alice.username));
      b.sync();
    }
    try (ChannelClient b = ChannelClient.open(api(), bobToken)) {
      assertThat(b.next(QUIET)).as("acknowledged messages are gone").isNull();
    }
  }

  @Test
  void retryWithTheSameIdAndEnvelope_isAcceptedAgain_butDeliveredOnce() {
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    String bobToken = api().signUp(bob);
    try (ChannelClient a = ChannelClient.open(api(), api().signUp(alice))) {
      for (int i = 0; i < 3; i++) {
        a.send(new WireMessage.Send("same-id", bob.username, envelope("retry")));
        assertThat(a.expect(WireMessage.Accepted.class).id()).isEqualTo("same-id");
      }
    }
    try (ChannelClient b = ChannelClient.open(api(), bobToken)) {
      assertThat(b.expect(WireMessage.Deliver.class).envelope()).isEqualTo(envelope("retry"));
      assertThat(b.next(QUIET)).isNull();
    }
  }

  @Test
  void relayErrors_answerForTheId_andKeepTheConnection() {
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    api().register(bob, 0);
    try (ChannelClient a = ChannelClient.open(api(), api().signUp(alice))) {
      a.send(new WireMessage.Send("e1", TestUser.named("ghost").username, envelope("x")));
      assertError(a.expect(WireMessage.Error.class), "e1", "unknown_recipient");
      a.send(new WireMessage.Send("e2", "NOT A USER", envelope("x")));
      assertError(a.expect(WireMessage.Error.class), "e2", "invalid_recipient");
      a.send(new WireMessage.Send("e3", bob.username, "%%% not base64"));
      assertError(a.expect(WireMessage.Error.class), "e3", "invalid_envelope");
      a.send(new WireMessage.Send("e4", bob.username, Bytes.base64(new byte[65537])));
      assertError(a.expect(WireMessage.Error.class), "e4", "envelope_too_large");
      a.send(new WireMessage.Send("e5", bob.username, Bytes.base64(new byte[65536])));
      assertThat(a.expect(WireMessage.Accepted.class).id()).isEqualTo("e5");
      a.send(new WireMessage.Ping());
      a.expect(WireMessage.Pong.class);
      assertThat(a.isOpen()).isTrue();
    }
  }

  @Test
  void fullQueue_refusesMore_untilTheRecipientDrainsIt() {
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    String bobToken = api().signUp(bob);
    try (ChannelClient a = ChannelClient.open(api(), api().signUp(alice))) {
      for (int i = 0; i < 150; i++) {
        a.send(new WireMessage.Send("q" + i, bob.username, envelope("q")));
        a.expect(WireMessage.Accepted.class);
      }
      a.send(new WireMessage.Send("q-over", bob.username, envelope("q")));
      assertError(a.expect(WireMessage.Error.class), "q-over", "queue_full");
    }
  }

  /**
   * A fast-path try whose window ended before the {@code ack} (a loaded machine): the message was
   * stored, so the sender gets {@code accepted} then {@code delivered}, and acknowledges the
   * receipt.
   */
  private static void settleStored(ChannelClient sender, WireMessage answer, String id, String to) {
    assertThat(answer).isEqualTo(new WireMessage.Accepted(id));
    assertThat(sender.next()).isEqualTo(new WireMessage.Delivered(id, to));
    sender.send(new WireMessage.ReceiptAck(id));
  }

  private static void assertError(WireMessage.Error error, String id, String code) {
    assertThat(error.id()).isEqualTo(id);
    assertThat(error.code()).isEqualTo(code);
  }

  @Test
  void fromIsStampedByTheServer_notClaimedByTheClient() {
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    try (ChannelClient a = ChannelClient.open(api(), api().signUp(alice));
        ChannelClient b = ChannelClient.open(api(), api().signUp(bob))) {
      a.sendRaw(
          a.sealPlaintext(
              ("{\"type\":\"send\",\"id\":\"spoof\",\"to\":\""
                      + bob.username
                      + "\",\"from\":\"someone-else\",\"envelope\":\""
                      + envelope("x")
                      + "\"}")
                  .getBytes(StandardCharsets.UTF_8)));
      a.expect(WireMessage.Accepted.class);
      assertThat(b.expect(WireMessage.Deliver.class).from()).isEqualTo(alice.username);
    }
  }

  @Test
  void noToken_badToken_orAMessageBeforeAuth_closeWith4401() {
    try (ChannelClient c = ChannelClient.connect(api())) {
      c.handshake(api().serverKey());
      c.authenticate("A".repeat(43));
      assertThat(c.awaitCloseCode()).isEqualTo(CloseCodes.UNAUTHORIZED);
    }
    try (ChannelClient c = ChannelClient.connect(api())) {
      c.handshake(api().serverKey());
      c.send(new WireMessage.Ping());
      assertThat(c.awaitCloseCode()).isEqualTo(CloseCodes.UNAUTHORIZED);
    }
  }

  @Test
  void clientRefusesAServerThatIsNotThePinnedKey() {
    try (ChannelClient c = ChannelClient.connect(api())) {
      byte[] wrongKey = Ed25519.generate(new SecureRandom()).publicKey();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.handshake(wrongKey))
          .hasMessageContaining("pinned");
    }
  }

  @Test
  void replayedFrame_closesWith1008() {
    try (ChannelClient c = ChannelClient.open(api(), api().signUp(TestUser.named("replay")))) {
      byte[] frame = c.seal(new WireMessage.Ping());
      c.sendRaw(frame);
      c.expect(WireMessage.Pong.class);
      c.sendRaw(frame);
      assertThat(c.awaitCloseCode()).isEqualTo(CloseCodes.POLICY);
    }
  }

  @Test
  void reorderedFrames_closeWith1008() {
    try (ChannelClient c = ChannelClient.open(api(), api().signUp(TestUser.named("reorder")))) {
      byte[] first = c.seal(new WireMessage.Ping());
      byte[] second = c.seal(new WireMessage.Ping());
      c.sendRaw(second);
      assertThat(c.awaitCloseCode()).isEqualTo(CloseCodes.POLICY);
      assertThat(first).isNotEmpty();
    }
  }

  @Test
  void tamperedFrame_closesWith1007() {
    try (ChannelClient c = ChannelClient.open(api(), api().signUp(TestUser.named("tamper")))) {
      byte[] frame = c.seal(new WireMessage.Ping());
      frame[frame.length - 1] ^= 0x01;
      c.sendRaw(frame);
      assertThat(c.awaitCloseCode()).isEqualTo(CloseCodes.MALFORMED);
    }
  }

  @Test
  void truncatedFrame_closesWith1007() {
    try (ChannelClient c = ChannelClient.open(api(), api().signUp(TestUser.named("trunc")))) {
      byte[] frame = c.seal(new WireMessage.Ping());
      c.sendRaw(java.util.Arrays.copyOf(frame, frame.length - 5));
      assertThat(c.awaitCloseCode()).isEqualTo(CloseCodes.MALFORMED);
    }
  }

  @Test
  void malformedHandshake_closesWith1007_andUnknownVersionWith1008() {
    try (ChannelClient c = ChannelClient.connect(api())) {
      c.sendRaw(new byte[] {1, 2, 3});
      assertThat(c.awaitCloseCode()).isEqualTo(CloseCodes.MALFORMED);
    }
    try (ChannelClient c = ChannelClient.connect(api())) {
      byte[] hello = new byte[33];
      hello[0] = 9;
      hello[1] = 9;
      c.sendRaw(hello);
      assertThat(c.awaitCloseCode()).isEqualTo(CloseCodes.POLICY);
    }
  }

  @Test
  void textFrame_closesWith1007() {
    try (ChannelClient c = ChannelClient.connect(api())) {
      c.sendText("hello?");
      assertThat(c.awaitCloseCode()).isEqualTo(CloseCodes.MALFORMED);
    }
  }

  @Test
  void garbageInsideAValidFrame_closesWith1007() {
    try (ChannelClient c = ChannelClient.open(api(), api().signUp(TestUser.named("garbage")))) {
      c.sendRaw(c.sealPlaintext("{\"type\":\"launch-missiles\"}".getBytes(StandardCharsets.UTF_8)));
      assertThat(c.awaitCloseCode()).isEqualTo(CloseCodes.MALFORMED);
    }
  }

  @Test
  void oversizedFrame_closesWith1009() {
    try (ChannelClient c = ChannelClient.open(api(), api().signUp(TestUser.named("big")))) {
      c.sendRaw(c.sealPlaintext(new byte[200_000]));
      assertThat(c.awaitCloseCode()).isEqualTo(CloseCodes.TOO_BIG);
    }
  }

  @Test
  void floodingFrames_closesWith4429() {
    try (ChannelClient c = ChannelClient.open(api(), api().signUp(TestUser.named("flood")))) {
      for (int i = 0; i < 400 && c.isOpen(); i++) {
        c.send(new WireMessage.Ping());
      }
      assertThat(c.awaitCloseCode()).isEqualTo(CloseCodes.RATE_LIMITED);
    }
  }

  @Test
  void secondConnectionOfAUser_closesTheFirstWith4409() {
    TestUser olivia = TestUser.named("olivia");
    String token = api().signUp(olivia);
    try (ChannelClient first = ChannelClient.open(api(), token);
        ChannelClient second = ChannelClient.open(api(), token)) {
      assertThat(first.awaitCloseCode()).isEqualTo(CloseCodes.CONNECTED_ELSEWHERE);
      second.send(new WireMessage.Ping());
      second.expect(WireMessage.Pong.class);
    }
  }

  @Test
  void logout_closesTheOpenSocketWith4401() {
    TestUser peggy = TestUser.named("peggy");
    String token = api().signUp(peggy);
    try (ChannelClient c = ChannelClient.open(api(), token)) {
      assertThat(api().delete("api/sessions/current", token).status()).isEqualTo(204);
      assertThat(c.awaitCloseCode()).isEqualTo(CloseCodes.UNAUTHORIZED);
    }
    try (ChannelClient c = ChannelClient.connect(api())) {
      c.handshake(api().serverKey());
      c.authenticate(token);
      assertThat(c.awaitCloseCode()).isEqualTo(CloseCodes.UNAUTHORIZED);
    }
  }

  // ---- frame sizes, refused from the header (issue 10, findings 7 and 8) ----

  /**
   * A {@code ping} padded with an unknown member so that its sealed frame is exactly {@code
   * frameBytes} long.
   */
  private static byte[] pingOfFrameSize(ChannelClient c, int frameBytes) {
    String head = "{\"type\":\"ping\",\"pad\":\"";
    String tail = "\"}";
    int padding = frameBytes - 24 - head.length() - tail.length();
    byte[] frame =
        c.sealPlaintext((head + "x".repeat(padding) + tail).getBytes(StandardCharsets.UTF_8));
    assertThat(frame).hasSize(frameBytes);
    return frame;
  }

  @Test
  void frameOf98304Bytes_isAccepted_and98305_closesWith1009() {
    try (ChannelClient c = ChannelClient.open(api(), api().signUp(TestUser.named("edge")))) {
      c.sendRaw(pingOfFrameSize(c, 98_304));
      c.expect(WireMessage.Pong.class);
      c.sendRaw(pingOfFrameSize(c, 98_305));
      assertThat(c.awaitCloseCode()).isEqualTo(CloseCodes.TOO_BIG);
    }
  }

  @Test
  void anonymousSocket_declaringA4MbFrame_isClosedWith1009_fromTheHeaderAlone() {
    try (RawWebSocket socket = RawWebSocket.upgrade(api())) {
      assertThat(socket.status()).isEqualTo(101);
      socket.sendHeader(0x2, true, 4_000_000);
      socket.write(new byte[1000]);
      assertThat(socket.awaitCloseCode()).isEqualTo(CloseCodes.TOO_BIG);
    }
  }

  @Test
  void anonymousSocket_frameOver1024BytesBeforeAuthentication_closesWith1009() {
    try (RawWebSocket socket = RawWebSocket.upgrade(api())) {
      socket.sendBinary(new byte[1025]);
      assertThat(socket.awaitCloseCode()).isEqualTo(CloseCodes.TOO_BIG);
    }
    try (RawWebSocket socket = RawWebSocket.upgrade(api())) {
      socket.sendBinary(new byte[1024]);
      assertThat(socket.awaitCloseCode())
          .as("within the limit: a malformed ClientHello")
          .isEqualTo(CloseCodes.MALFORMED);
    }
  }

  @Test
  void anonymousSocket_unmaskedFrame_isClosedWith1002_asRfc6455Requires() {
    try (RawWebSocket socket = RawWebSocket.upgrade(api())) {
      assertThat(socket.status()).isEqualTo(101);
      socket.sendUnmaskedBinary(new byte[33]);
      assertThat(socket.awaitCloseCode()).isEqualTo(CloseCodes.PROTOCOL_ERROR);
    }
  }

  @Test
  void frameOver4MiB_closesWith1009_notTheContainers1011() {
    try (RawWebSocket socket = RawWebSocket.upgrade(api())) {
      socket.sendHeader(0x2, true, 5L << 20);
      assertThat(socket.awaitCloseCode()).isEqualTo(CloseCodes.TOO_BIG);
    }
  }

  // ---- upgrade requests ----

  @Test
  void postUpgrade_isRefusedWith405_notSwitched() {
    try (RawWebSocket socket = RawWebSocket.upgrade(api(), "POST", RawWebSocket.newKey(), 0)) {
      assertThat(socket.status()).as(socket.response).isEqualTo(405);
      assertThat(socket.response).contains("Allow: GET");
    }
  }

  @Test
  void malformedWebSocketKey_isRefusedWith400_notSwitched() {
    for (String key :
        List.of(
            "not-a-key",
            "dGhlIHNhbXBsZSBub25jZQ",
            "dGhlIHNhbXBsZSBub25jZR==",
            "dGhlIHNhbXBsZSBub25jZSE=")) {
      try (RawWebSocket socket = RawWebSocket.upgrade(api(), "GET", key, 0)) {
        assertThat(socket.status()).as(key + ": " + socket.response).isEqualTo(400);
      }
    }
  }

  // ---- relay messages: policy and strictness ----

  @Test
  void secondAuth_orAServerOnlyMessage_closesWith1008() {
    TestUser trudy = TestUser.named("trudy");
    String token = api().signUp(trudy);
    try (ChannelClient c = ChannelClient.open(api(), token)) {
      c.send(new WireMessage.Auth(token));
      assertThat(c.awaitCloseCode()).isEqualTo(CloseCodes.POLICY);
    }
    for (WireMessage serverOnly :
        List.of(
            new WireMessage.Ready("trudy"),
            new WireMessage.Accepted("m1"),
            new WireMessage.Deliver("m1", "x", envelope("x"), "2025-01-01T00:00:00Z"),
            new WireMessage.Delivered("m1", "x"),
            new WireMessage.Relayed("m1", "x"),
            new WireMessage.Pong(),
            new WireMessage.CaughtUp(),
            new WireMessage.PreKeysLow("1"),
            new WireMessage.Error(null, "x", "y"))) {
      try (ChannelClient c = ChannelClient.open(api(), token)) {
        c.send(serverOnly);
        assertThat(c.awaitCloseCode()).as(serverOnly.type()).isEqualTo(CloseCodes.POLICY);
      }
    }
  }

  @Test
  void byteOrderMarkOrInvalidUtf8InARelayMessage_closesWith1007() {
    byte[] ping = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[ping.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(ping, 0, withBom, 3, ping.length);
    byte[] overlong =
        "{\"type\":\"ping\",\"x\":\"\u00c0\u00af\"}".getBytes(StandardCharsets.ISO_8859_1);
    for (byte[] plaintext : List.of(withBom, overlong)) {
      try (ChannelClient c = ChannelClient.open(api(), api().signUp(TestUser.named("utf")))) {
        c.sendRaw(c.sealPlaintext(plaintext));
        assertThat(c.awaitCloseCode()).isEqualTo(CloseCodes.MALFORMED);
      }
    }
  }

  @Test
  void envelope_mustBeCanonicalBase64_andNotEmpty() {
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    api().register(bob, 0);
    try (ChannelClient a = ChannelClient.open(api(), api().signUp(alice))) {
      a.send(new WireMessage.Send("b1", bob.username, "AAECAx=="));
      assertError(a.expect(WireMessage.Error.class), "b1", "invalid_envelope");
      a.send(new WireMessage.Send("b2", bob.username, "AAECAw"));
      assertError(a.expect(WireMessage.Error.class), "b2", "invalid_envelope");
      a.send(new WireMessage.Send("b3", bob.username, ""));
      assertError(a.expect(WireMessage.Error.class), "b3", "invalid_envelope");
      a.send(new WireMessage.Send("b4", bob.username, "AAECAw=="));
      a.expect(WireMessage.Accepted.class);
    }
  }

  @Test
  void envelope_isRelayedByteForByte() {
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    try (ChannelClient a = ChannelClient.open(api(), api().signUp(alice));
        ChannelClient b = ChannelClient.open(api(), api().signUp(bob))) {
      a.send(new WireMessage.Send("v1", bob.username, "AAECAw=="));
      a.expect(WireMessage.Accepted.class);
      assertThat(b.expect(WireMessage.Deliver.class).envelope()).isEqualTo("AAECAw==");
    }
  }

  @Test
  void sendingToYourself_isInvalidRecipient() {
    TestUser alice = TestUser.named("alice");
    try (ChannelClient a = ChannelClient.open(api(), api().signUp(alice))) {
      a.send(new WireMessage.Send("self", alice.username, envelope("note to self")));
      assertError(a.expect(WireMessage.Error.class), "self", "invalid_recipient");
      a.sync();
    }
  }

  @Test
  void idReusedForAnotherRecipient_isRefusedWithIdReused_notSilentlyDropped() {
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    TestUser carol = TestUser.named("carol");
    String carolToken = api().signUp(carol);
    api().register(bob, 0);
    try (ChannelClient a = ChannelClient.open(api(), api().signUp(alice))) {
      a.send(new WireMessage.Send("same", bob.username, envelope("to bob")));
      a.expect(WireMessage.Accepted.class);
      a.send(new WireMessage.Send("same", carol.username, envelope("to carol")));
      assertError(a.expect(WireMessage.Error.class), "same", "id_reused");
      a.send(new WireMessage.Send("same", bob.username, envelope("other text, same id")));
      assertError(a.expect(WireMessage.Error.class), "same", "id_reused");
    }
    try (ChannelClient c = ChannelClient.open(api(), carolToken)) {
      assertThat(c.next(QUIET)).isNull();
    }
  }

  @Test
  void idReusedAfterDelivery_isARetryUntilTheReceiptAck_thenANewMessage() {
    // The id rule is about stored messages: Bob is offline at each send, so nothing takes the
    // fast path (a fast-path message is never stored, and its id is not held; docs/protocol.md).
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    String bobToken = api().signUp(bob);
    try (ChannelClient a = ChannelClient.open(api(), api().signUp(alice))) {
      a.send(new WireMessage.Send("r1", bob.username, envelope("first")));
      a.expect(WireMessage.Accepted.class);
      try (ChannelClient b = ChannelClient.open(api(), bobToken)) {
        b.send(new WireMessage.Ack(b.expect(WireMessage.Deliver.class).id(), alice.username));
        a.expect(WireMessage.Delivered.class);
      }

      a.send(new WireMessage.Send("r1", bob.username, envelope("first")));
      a.expect(WireMessage.Accepted.class);
      try (ChannelClient b = ChannelClient.open(api(), bobToken)) {
        assertThat(b.next(QUIET)).as("a retry is not delivered again").isNull();
      }

      a.send(new WireMessage.ReceiptAck("r1"));
      a.sync();
      a.send(new WireMessage.Send("r1", bob.username, envelope("second")));
      a.expect(WireMessage.Accepted.class);
      try (ChannelClient b = ChannelClient.open(api(), bobToken)) {
        assertThat(b.expect(WireMessage.Deliver.class).envelope()).isEqualTo(envelope("second"));
      }
    }
  }

  /**
   * Both answers reach the sender whichever way the message went: on the fast path (bob caught up
   * and acknowledging within the window) the receipt comes first, then {@code accepted} (the order
   * itself is checked in RelayServiceFastPathTest, where the window cannot end under load); stored
   * first, {@code accepted} comes first.
   */
  @Test
  void recipientOnline_senderGetsAcceptedAndTheReceipt_andItsReceiptAckIsQuiet() {
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    try (ChannelClient a = ChannelClient.open(api(), api().signUp(alice));
        ChannelClient b = ChannelClient.open(api(), api().signUp(bob), 2)) {
      b.expect(WireMessage.CaughtUp.class);
      a.send(new WireMessage.Send("f1", bob.username, envelope("fast")));
      WireMessage.Deliver deliver = b.expect(WireMessage.Deliver.class);
      b.send(new WireMessage.Ack(deliver.id(), alice.username));
      assertThat(List.of(a.next(), a.next()))
          .containsExactlyInAnyOrder(
              new WireMessage.Accepted("f1"), new WireMessage.Delivered("f1", bob.username));
      a.send(new WireMessage.ReceiptAck("f1"));
      a.sync();
      assertThat(a.isOpen()).isTrue();
    }
  }

  /**
   * An operator sees what the fast path holds: a message delivered and not yet acknowledged counts
   * its envelope's bytes and base64 text in {@code securecom_relay_fast_path_bytes} until its
   * {@code ack} (other tests' windows only end meanwhile, so the gauge can only fall by more).
   */
  @Test
  void theFastPathsBytesGauge_countsAnUnacknowledgedMessage_untilItsAck() {
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    try (ChannelClient a = ChannelClient.open(api(), api().signUp(alice), 3);
        ChannelClient b = ChannelClient.open(api(), api().signUp(bob), 3)) {
      b.expect(WireMessage.CaughtUp.class);
      a.expect(WireMessage.CaughtUp.class);
      String text = envelope("x".repeat(3_000)); // 3,000 bytes, 4,000 of base64
      boolean seen = false;
      for (int i = 0; i < 3 && !seen; i++) {
        String id = "gauge" + i;
        a.send(new WireMessage.Send(id, bob.username, text));
        WireMessage.Deliver deliver = b.expect(WireMessage.Deliver.class);
        long waiting = metric("securecom_relay_fast_path_bytes");
        b.send(new WireMessage.Ack(deliver.id(), alice.username));
        WireMessage answer = a.next();
        if (answer.equals(new WireMessage.Relayed(id, bob.username))) {
          seen = true;
          assertThat(waiting).isGreaterThanOrEqualTo(7_000);
          assertThat(metric("securecom_relay_fast_path_bytes"))
              .isLessThanOrEqualTo(waiting - 7_000);
        } else {
          settleStored(a, answer, id, bob.username);
        }
      }
      assertThat(seen).as("a message acknowledged within its window").isTrue();
      assertThat(metric("securecom_relay_fast_path_over_budget"))
          .as("exported, and nothing here came near the 64 MiB budget")
          .isZero();
    }
  }

  /**
   * Relay version 3: a message the recipient acknowledged on the fast path is answered with one
   * {@code relayed} and nothing else (no {@code accepted}, no {@code delivered} later, and no
   * {@code receiptAck} owed); one whose window ended (the machine is loaded) is answered as a
   * stored message, never with both. The fast path is taken at least once in a few tries.
   */
  @Test
  void version3Sender_getsOneRelayed_forAFastPathMessage_andNothingAfterIt() {
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    try (ChannelClient a = ChannelClient.open(api(), api().signUp(alice), 3);
        ChannelClient b = ChannelClient.open(api(), api().signUp(bob), 3)) {
      assertThat(a.ready().version()).isEqualTo(3);
      b.expect(WireMessage.CaughtUp.class);
      a.expect(WireMessage.CaughtUp.class);
      int relayed = 0;
      for (int i = 0; i < 5 && relayed == 0; i++) {
        String id = "r" + i;
        a.send(new WireMessage.Send(id, bob.username, envelope("fast " + i)));
        WireMessage.Deliver deliver = b.expect(WireMessage.Deliver.class);
        b.send(new WireMessage.Ack(deliver.id(), alice.username));
        WireMessage answer = a.next();
        if (answer.equals(new WireMessage.Relayed(id, bob.username))) {
          relayed++;
          a.sync();
          assertThat(a.next(QUIET)).as("nothing follows a relayed").isNull();
        } else {
          settleStored(a, answer, id, bob.username);
        }
      }
      assertThat(relayed).as("a message acknowledged in time was answered relayed").isEqualTo(1);
      assertThat(a.isOpen()).isTrue();
    }
  }

  /**
   * A sender that never saw {@code accepted} sends the message again, with the same id, while the
   * recipient already holds the stored copy from its catch-up (what a crash before the answer
   * leaves). The recipient's one {@code ack} must reach the stored message: once, the fast path
   * swallowed it, the row stayed queued and the recipient got the message again on every
   * connection.
   */
  @Test
  void aRetryOfAStoredMessage_whileTheRecipientHoldsIt_isDeliveredOnce_andLeavesNothingQueued()
      throws InterruptedException {
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    String bobToken = api().signUp(bob);
    try (ChannelClient a = ChannelClient.open(api(), api().signUp(alice))) {
      WireMessage.Send send = new WireMessage.Send(newId(), bob.username, envelope("stored"));
      a.send(send);
      a.expect(WireMessage.Accepted.class); // bob is away: stored
      try (ChannelClient b = ChannelClient.open(api(), bobToken, 2)) {
        assertThat(b.expect(WireMessage.Deliver.class).id()).isEqualTo(send.id());
        b.expect(WireMessage.CaughtUp.class);

        a.send(send); // the retry, while bob holds the message and has not acknowledged it
        Thread.sleep(50); // well inside the fast-path window (2 s), where the ack was swallowed
        b.send(new WireMessage.Ack(send.id(), alice.username));
        b.sync(); // nothing else came: the retry was not delivered a second time

        List<WireMessage> answers = List.of(a.next(), a.next());
        assertThat(answers)
            .containsExactlyInAnyOrder(
                new WireMessage.Accepted(send.id()),
                new WireMessage.Delivered(send.id(), bob.username));
        a.send(new WireMessage.ReceiptAck(send.id()));
        a.sync();
      }
    }
    try (ChannelClient b = ChannelClient.open(api(), bobToken, 2)) {
      assertThat(b.next())
          .as("the acknowledged message is not queued any more")
          .isEqualTo(new WireMessage.CaughtUp());
    }
  }

  @Test
  void ackAndReceiptAckOfUnknownIds_changeNothing_andGetNoAnswer() {
    TestUser mallory = TestUser.named("mallory");
    try (ChannelClient m = ChannelClient.open(api(), api().signUp(mallory))) {
      m.send(new WireMessage.Ack("never-sent", "someone"));
      m.send(new WireMessage.ReceiptAck("never-sent"));
      m.sync();
      assertThat(m.isOpen()).isTrue();
    }
  }

  // ---- end of backlog (relay version 2) ----

  @Test
  void version2Client_getsCaughtUp_afterItsQueue_andVersion1ClientsNever() {
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    String bobToken = api().signUp(bob);
    try (ChannelClient a = ChannelClient.open(api(), api().signUp(alice))) {
      for (int i = 0; i < 40; i++) {
        a.send(new WireMessage.Send("c" + i, bob.username, envelope("queued " + i)));
        a.expect(WireMessage.Accepted.class);
      }
    }
    try (ChannelClient b = ChannelClient.open(api(), bobToken, 2)) {
      assertThat(b.ready().version()).isEqualTo(2);
      for (int i = 0; i < 40; i++) {
        assertThat(b.expect(WireMessage.Deliver.class).id()).isEqualTo("c" + i);
      }
      b.expect(WireMessage.CaughtUp.class);
    }
    try (ChannelClient b = ChannelClient.open(api(), bobToken)) {
      assertThat(b.ready().version()).isEqualTo(1);
      for (int i = 0; i < 40; i++) {
        b.expect(WireMessage.Deliver.class);
      }
      assertThat(b.next(QUIET)).as("no caughtUp for a version 1 client").isNull();
    }
    try (ChannelClient b = ChannelClient.open(api(), bobToken, 7)) {
      assertThat(b.ready().version()).as("the lower of both").isEqualTo(WireMessage.VERSION);
      assertThat(b.ready().device()).as("a version 4 or 5 ready names the device").isEqualTo(1);
    }
  }
}
