package com.securecom.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.it.support.Api;
import com.securecom.it.support.ChannelClient;
import com.securecom.it.support.PayaraServer;
import com.securecom.it.support.RawWebSocket;
import com.securecom.it.support.TestUser;
import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.channel.ClientHandshake;
import com.securecom.protocol.channel.CloseCodes;
import com.securecom.protocol.channel.SecureChannel;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.wire.WireCodec;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.testkit.TestDatabase;
import com.securecom.testkit.WorkDirectories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The relay against clients that do not follow the protocol, on a server of its own (H2 file
 * database) with limits small enough to reach: a client that never reads, the per-sender share and
 * sender quota of the queue, a client draining a full queue as fast as it can, the file database
 * returning to size, and the heap each kind of hostile connection costs (printed, for
 * docs/security.md).
 */
class HostileClientIT {
  private static final WireCodec CODEC = new WireCodec();
  private static final int KIB_64 = 65_536;
  private static PayaraServer server;
  private static Path work;

  @BeforeAll
  static void start() throws Exception {
    work = WorkDirectories.create("hostile");
    server =
        PayaraServer.start(
            work,
            Map.ofEntries(
                Map.entry("securecom.db.url", TestDatabase.h2(work.resolve("db")).url()),
                Map.entry("securecom.server-key.file", work.resolve("server.key").toString()),
                Map.entry("securecom.register.per-address", "100000"),
                Map.entry("securecom.login.failures-per-address", "100000"),
                Map.entry("securecom.channel.auth.per-address", "100000"),
                Map.entry("securecom.relay.max-queue", "1000"),
                Map.entry("securecom.relay.max-queue-per-sender", "500"),
                Map.entry("securecom.relay.max-sender-messages", "1200"),
                Map.entry("securecom.relay.max-queue-bytes", "134217728"),
                Map.entry("securecom.relay.max-queue-bytes-per-sender", "67108864"),
                Map.entry("securecom.relay.max-sender-bytes", "134217728"),
                Map.entry("securecom.db.h2.compact-every", "PT1M")));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static Api api() {
    return server.api();
  }

  private static String envelope(int bytes, int seed) {
    byte[] e = new byte[bytes];
    new java.util.Random(seed).nextBytes(e);
    return Bytes.base64(e);
  }

  /**
   * Sends {@code count} messages, 100 at a time and then a second's pause (the default frame
   * budget: bursts of 200, 100 a second), and returns the error code of each refused one (null for
   * each accepted).
   */
  private static List<String> sendAll(
      ChannelClient c, String to, String prefix, int count, int bytes) {
    List<String> outcomes = new ArrayList<>();
    for (int start = 0; start < count; start += 100) {
      int end = Math.min(count, start + 100);
      for (int i = start; i < end; i++) {
        c.send(new WireMessage.Send(prefix + i, to, envelope(bytes, i)));
      }
      for (int i = start; i < end; i++) {
        WireMessage answer = c.next();
        outcomes.add(
            answer instanceof WireMessage.Error e
                ? e.code()
                : answer instanceof WireMessage.Accepted ? null : "unexpected " + answer);
      }
      if (end < count) {
        try {
          Thread.sleep(1_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
    return outcomes;
  }

  @Test
  void
      oneSendersShare_isRefusedAsSenderShareFull_whileOthersStillGetIn_thenTheQueueIsFull_andTheSendersQuota() {
    TestUser bob = TestUser.named("bob");
    TestUser erin = TestUser.named("erin");
    TestUser gina = TestUser.named("gina");
    api().register(bob, 0);
    api().register(erin, 0);
    api().register(gina, 0);
    try (ChannelClient alice = ChannelClient.open(api(), api().signUp(TestUser.named("alice")));
        ChannelClient carol = ChannelClient.open(api(), api().signUp(TestUser.named("carol")));
        ChannelClient dave = ChannelClient.open(api(), api().signUp(TestUser.named("dave")))) {
      List<String> flood = sendAll(alice, bob.username, "a", 501, 16);
      assertThat(flood.subList(0, 500)).containsOnlyNulls();
      assertThat(flood.get(500)).isEqualTo("sender_share_full");

      List<String> other = sendAll(carol, bob.username, "c", 500, 16);
      assertThat(other).as("another sender still gets in").containsOnlyNulls();
      assertThat(sendAll(dave, bob.username, "d", 1, 16)).containsExactly("queue_full");

      assertThat(sendAll(alice, erin.username, "e", 500, 16)).containsOnlyNulls();
      List<String> last = sendAll(alice, gina.username, "g", 201, 16);
      assertThat(last.subList(0, 200)).containsOnlyNulls();
      assertThat(last.get(200)).as("1,200 stored in all").isEqualTo("sender_quota_full");
    }
  }

  @Test
  void
      thousandQueuedMessages_areDrainedByAClientThatAcknowledgesEach_withoutEverBeingRateLimited() {
    TestUser ivy = TestUser.named("ivy");
    String ivyToken = api().signUp(ivy);
    for (String sender : List.of("frank", "henry")) {
      try (ChannelClient c = ChannelClient.open(api(), api().signUp(TestUser.named(sender)))) {
        assertThat(sendAll(c, ivy.username, "q", 500, 200)).containsOnlyNulls();
      }
    }
    for (int round = 0; round < 2; round++) {
      try (ChannelClient c = ChannelClient.open(api(), ivyToken, 2)) {
        int delivered = 0;
        for (WireMessage m = c.next(); !(m instanceof WireMessage.CaughtUp); m = c.next()) {
          assertThat(m)
              .as("after %d deliveries", delivered)
              .isInstanceOf(WireMessage.Deliver.class);
          WireMessage.Deliver d = (WireMessage.Deliver) m;
          if (round == 1) {
            c.send(new WireMessage.Ack(d.id(), d.from()));
          }
          delivered++;
        }
        assertThat(delivered).isEqualTo(1000);
        c.sync();
        assertThat(c.isOpen()).isTrue();
      }
    }
    try (ChannelClient c = ChannelClient.open(api(), ivyToken, 2)) {
      c.expect(WireMessage.CaughtUp.class);
    }
  }

  /**
   * A client over a bare socket that does the handshake and authenticates, then reads only when
   * told to.
   */
  private static final class SilentClient implements AutoCloseable {
    final RawWebSocket socket;
    final SecureChannel channel;

    SilentClient(String token) throws ChannelException {
      socket = RawWebSocket.upgrade(api(), "GET", RawWebSocket.newKey(), 4096);
      ClientHandshake handshake = new ClientHandshake(api().serverKey(), new SecureRandom());
      socket.sendBinary(handshake.hello());
      channel = handshake.finish(socket.readFrame().payload());
      socket.sendBinary(channel.seal(CODEC.encode(new WireMessage.Auth(token))));
      socket.readFrame(); // ready
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  private static long connections() {
    Matcher m =
        Pattern.compile("(?m)^securecom_connections(?:\\{[^}]*})? ([0-9.eE+-]+)$")
            .matcher(api().get("metrics", null).raw().body());
    return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
  }

  private static long rejected1008() {
    Matcher m =
        Pattern.compile(
                "(?m)^securecom_frames_rejected(?:_total)?\\{[^}]*code=\"1008\"[^}]*} ([0-9.eE+-]+)$")
            .matcher(api().get("metrics", null).raw().body());
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void clientThatNeverReads_isDroppedWith1008_andPinsBoundedHeap() throws Exception {
    TestUser reader = TestUser.named("lazy");
    String readerToken = api().signUp(reader);
    long baseline = server.heapUsedAfterFullGc();
    long peak = 0;
    try (ChannelClient sender = ChannelClient.open(api(), api().signUp(TestUser.named("pusher")));
        SilentClient lazy = new SilentClient(readerToken)) {
      long before = connections();
      int sent = 0;
      while (connections() >= before && sent < 480) {
        assertThat(sendAll(sender, reader.username, "p" + sent + "-", 16, KIB_64))
            .containsOnlyNulls();
        sent += 16;
        peak = Math.max(peak, server.heapUsedAfterFullGc() - baseline);
      }
      assertThat(connections()).as("dropped after %d messages of 64 KiB", sent).isLessThan(before);
      System.out.printf(
          "never-reading connection: dropped after %d x 64 KiB sent to it; peak heap it pinned"
              + " (used after full GC, above the baseline): %,d bytes%n",
          sent, peak);
      assertThat(rejected1008()).as("closed as not reading fast enough").isGreaterThanOrEqualTo(1);
      // The close frame queues behind the unread frames, so the peer sees it only if it reads them
      // all before the
      // container gives up and resets the connection.
      assertThat(lazy.socket.awaitCloseCode()).isIn(CloseCodes.POLICY, -1);
    }
    assertThat(peak)
        .as("bounded by max-pending-bytes (2 MiB), not by frames")
        .isLessThan(24L << 20);
  }

  @Test
  void heapPerHostileConnection_isBounded_andPrinted() throws Exception {
    int sockets = 200;
    long baseline = server.heapUsedAfterFullGc();
    List<RawWebSocket> halfOpen = new ArrayList<>();
    try {
      for (int i = 0; i < sockets; i++) {
        halfOpen.add(RawWebSocket.upgrade(api()));
      }
      long upgraded = server.heapUsedAfterFullGc() - baseline;
      for (RawWebSocket s : halfOpen) {
        s.sendBinary(new ClientHandshake(api().serverKey(), new SecureRandom()).hello());
      }
      for (RawWebSocket s : halfOpen) {
        s.readFrame();
      }
      long handshaken = server.heapUsedAfterFullGc() - baseline;
      System.out.printf(
          "half-open: %d sockets upgraded, no handshake: %,d bytes each; after the handshake, no auth:"
              + " %,d bytes each%n",
          sockets, upgraded / sockets, handshaken / sockets);
      assertThat(handshaken / sockets).isLessThan(256 * 1024);
    } finally {
      halfOpen.forEach(RawWebSocket::close);
    }
    List<RawWebSocket> oversize = new ArrayList<>();
    try {
      long before = server.heapUsedAfterFullGc();
      for (int i = 0; i < sockets; i++) {
        RawWebSocket s = RawWebSocket.upgrade(api());
        s.sendHeader(0x2, true, 4_000_000);
        s.write(new byte[60_000]);
        oversize.add(s);
      }
      long pinned = server.heapUsedAfterFullGc() - before;
      System.out.printf(
          "oversize-declaring: %d sockets that declared 4,000,000 bytes and sent 60,000: %,d bytes"
              + " each%n",
          sockets, pinned / sockets);
      for (RawWebSocket s : oversize) {
        assertThat(s.awaitCloseCode()).isEqualTo(CloseCodes.TOO_BIG);
      }
      assertThat(pinned / sockets)
          .isLessThan(512 * 1024); // ~47-66 KB measured; 4.4 MiB before the fence
    } finally {
      oversize.forEach(RawWebSocket::close);
    }
  }

  @Test
  void openCloseChurn_logsNoContainerFailure_andLeavesOtherRequestsWhole() throws Exception {
    int logBefore = server.logText().length();
    for (int i = 0; i < 300; i++) {
      RawWebSocket s = RawWebSocket.upgrade(api());
      if (i % 3 == 0) {
        s.sendBinary(new byte[33]);
      }
      s.close();
      if (i % 10 == 0) {
        Api.Reply key = api().get("api/server-key", null);
        assertThat(key.status()).as("request %d during churn", i).isEqualTo(200);
        assertThat(key.json().getString("algorithm")).isEqualTo("Ed25519");
      }
    }
    Thread.sleep(2000);
    String log = server.logText().substring(logBefore);
    // None of our code fails under churn. Grizzly itself may still log an NPE ("connection" is
    // null) when a socket
    // closes under it: a container bug (docs/upstream/), which the requests above show leaves
    // others whole.
    assertThat(log).doesNotContain("at com.securecom.");
  }

  @Test
  void drainedQueue_leavesTheDatabaseFileSmall_afterCompaction() throws Exception {
    Path file = work.resolve("db/securecom.mv.db");
    TestUser kim = TestUser.named("kim");
    String kimToken = api().signUp(kim);
    try (ChannelClient c = ChannelClient.open(api(), api().signUp(TestUser.named("leo")))) {
      assertThat(sendAll(c, kim.username, "z", 300, KIB_64)).containsOnlyNulls();
    }
    long full = Files.size(file);
    try (ChannelClient k = ChannelClient.open(api(), kimToken, 2)) {
      for (WireMessage m = k.next(); !(m instanceof WireMessage.CaughtUp); m = k.next()) {
        WireMessage.Deliver d = (WireMessage.Deliver) m;
        k.send(new WireMessage.Ack(d.id(), d.from()));
      }
      k.sync();
    }
    long deadline = System.currentTimeMillis() + 150_000;
    long size = Files.size(file);
    while (size > full / 4 && System.currentTimeMillis() < deadline) {
      Thread.sleep(5000);
      size = Files.size(file);
    }
    System.out.printf(
        "H2 file: %,d bytes with 300 x 64 KiB queued, %,d bytes after they were delivered and the"
            + " file compacted%n",
        full, size);
    assertThat(size).isLessThan(full / 4);
  }
}
