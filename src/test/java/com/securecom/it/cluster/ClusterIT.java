package com.securecom.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.securecom.it.support.Api;
import com.securecom.it.support.ChannelClient;
import com.securecom.it.support.TestUser;
import com.securecom.protocol.channel.CloseCodes;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.wire.ErrorCodes;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.protocol.wire.WireMessage.Copy;
import com.securecom.protocol.wire.WireMessage.UserDevices;
import com.securecom.testkit.Cluster;
import com.securecom.testkit.PayaraMicro;
import com.securecom.testkit.TestDatabase;
import com.securecom.testkit.WorkDirectories;
import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two Payara Micro nodes forming one data grid over one PostgreSQL database, with users on
 * different nodes: live delivery and receipts across nodes, "connected elsewhere" across nodes, an
 * account's linked devices on both nodes (a link or a removal through one node seen at once on the
 * other; one send to devices on both nodes), and a node killed with SIGKILL while messages flow,
 * after which its users reconnect to the survivor and lose nothing that was {@code accepted}.
 *
 * <p>PostgreSQL only ({@code -Ppostgres}): the nodes need a database they can share, which the H2
 * file database of the default run is not. The test creates and drops a database of its own
 * ({@value #DATABASE}) on the server of {@code it.db.url}. The last test kills a node, so the tests
 * run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  private static final String DATABASE = "securecom_cluster";

  /** Seen at almost three minutes for two nodes starting together on a loaded two-core machine. */
  private static final Duration START = Duration.ofMinutes(6);

  /** How long a message may take to cross nodes, live. */
  private static final Duration LIVE = Duration.ofSeconds(30);

  /**
   * How long the survivor may take to notice a killed member, and a user reconnecting to it to be
   * ready.
   */
  private static final Duration FAILOVER = Duration.ofSeconds(120);

  private static final int V4 = WireMessage.DEVICES_VERSION;

  private static Path work;
  private static TestDatabase.Postgres database;
  private static Cluster cluster;
  private static PayaraMicro node1;
  private static PayaraMicro node2;

  @BeforeAll
  static void startTwoNodes() throws Exception {
    assumeTrue(
        "postgres".equals(System.getProperty("it.db.name")),
        "two nodes need a shared database: runs in the postgres profile (mvn verify -Ppostgres)");
    database =
        TestDatabase.postgres(
            TestDatabase.Postgres.withDatabase(System.getProperty("it.db.url"), DATABASE),
            System.getProperty("it.db.user", "postgres"));
    work = WorkDirectories.create(ClusterIT.class);

    long started = System.nanoTime();
    // Both at once: each takes 20 s or more, and the grid forms while they start.
    cluster =
        Cluster.start(
            work,
            2,
            START,
            node ->
                node.database(database)
                    .serverKey(work.resolve("server.key")) // one key, both nodes
                    .generousLimits()
                    // The busy-node test queues 900 unacknowledged messages from one sender per
                    // recipient: above the default share.
                    .property("securecom.relay.max-queue-per-sender", "1000"));
    node1 = cluster.node(1);
    node2 = cluster.node(2);
    System.out.printf(
        "ClusterIT: %s and %s ready, grid of 2, in %d s (work: %s)%n",
        node1, node2, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), work);
  }

  @AfterAll
  static void stopNodes() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (database != null) {
      database.close();
    }
  }

  private static Api api(PayaraMicro node) {
    try {
      return new Api(node.uri().toURL());
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @Order(1)
  void bothNodes_publishTheSameServerKey() {
    assertThat(api(node2).serverKey()).isEqualTo(api(node1).serverKey());
  }

  @Test
  @Order(2)
  void usersOnDifferentNodes_chatBothWays_live_withReceiptsCrossingBack() {
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    String aliceToken = api(node1).signUp(alice);
    String bobToken = api(node2).signUp(bob);
    try (ChannelClient a = ChannelClient.open(api(node1), aliceToken);
        ChannelClient b = ChannelClient.open(api(node2), bobToken)) {
      for (int round = 0; round < 3; round++) {
        exchange(a, alice, b, bob, "alice to bob " + round);
        exchange(b, bob, a, alice, "bob to alice " + round);
      }
      // several in a row: each sender's messages cross in the order they were accepted
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String id = newId();
        ids.add(id);
        a.send(new WireMessage.Send(id, bob.username, envelope("burst " + i)));
        assertThat(a.expect(WireMessage.Accepted.class).id()).isEqualTo(id);
      }
      for (int i = 0; i < 10; i++) {
        WireMessage.Deliver d = expectWithin(b, WireMessage.Deliver.class, LIVE);
        assertThat(d.id()).isEqualTo(ids.get(i));
        assertThat(d.envelope()).isEqualTo(envelope("burst " + i));
        b.send(new WireMessage.Ack(d.id(), d.from()));
      }
      Set<String> receipted = new LinkedHashSet<>();
      for (int i = 0; i < 10; i++) {
        WireMessage.Delivered r = expectWithin(a, WireMessage.Delivered.class, LIVE);
        assertThat(r.to()).isEqualTo(bob.username);
        receipted.add(r.id());
        a.send(new WireMessage.ReceiptAck(r.id()));
      }
      assertThat(receipted).containsExactlyInAnyOrderElementsOf(ids);
      a.sync();
      b.sync();
    }
  }

  /**
   * {@code from} sends one message to {@code to} on the other node: accepted, delivered live,
   * acked, receipted.
   */
  private static void exchange(
      ChannelClient from, TestUser sender, ChannelClient to, TestUser recipient, String text) {
    String id = newId();
    from.send(new WireMessage.Send(id, recipient.username, envelope(text)));
    assertThat(from.expect(WireMessage.Accepted.class).id()).isEqualTo(id);

    WireMessage.Deliver deliver = expectWithin(to, WireMessage.Deliver.class, LIVE);
    assertThat(deliver.id()).isEqualTo(id);
    assertThat(deliver.from()).isEqualTo(sender.username);
    assertThat(deliver.envelope()).isEqualTo(envelope(text));

    to.send(new WireMessage.Ack(id, sender.username));
    WireMessage.Delivered delivered = expectWithin(from, WireMessage.Delivered.class, LIVE);
    assertThat(delivered.id()).isEqualTo(id);
    assertThat(delivered.to()).isEqualTo(recipient.username);
    from.send(new WireMessage.ReceiptAck(id));
  }

  @Test
  @Order(3)
  void aSecondConnection_onTheOtherNode_closesTheFirst_with4409_andDeliveriesFollowTheUser() {
    TestUser carol = TestUser.named("carol");
    TestUser dave = TestUser.named("dave");
    String carolToken = api(node1).signUp(carol);
    String daveToken = api(node1).signUp(dave);
    try (ChannelClient onNode2 = ChannelClient.open(api(node2), carolToken);
        ChannelClient d = ChannelClient.open(api(node2), daveToken)) {
      try (ChannelClient onNode1 = ChannelClient.open(api(node1), carolToken)) {
        assertThat(onNode2.awaitCloseCode()).isEqualTo(CloseCodes.CONNECTED_ELSEWHERE);

        // dave, on node 2, now reaches carol on node 1, live
        String id = newId();
        d.send(new WireMessage.Send(id, carol.username, envelope("found you")));
        assertThat(d.expect(WireMessage.Accepted.class).id()).isEqualTo(id);
        assertThat(expectWithin(onNode1, WireMessage.Deliver.class, LIVE).id()).isEqualTo(id);
        onNode1.send(new WireMessage.Ack(id, dave.username));
        assertThat(expectWithin(d, WireMessage.Delivered.class, LIVE).id()).isEqualTo(id);
        d.send(new WireMessage.ReceiptAck(id));
        onNode1.sync();
        d.sync();
      }
    }
  }

  /**
   * A user who reconnects to the same node must stay reachable from the other node, even while that
   * node is busy handing messages over: his old connection's "disconnected" must not erase the
   * presence his new connection just wrote. Node 1 is kept busy with a burst from Heidi (node 1) to
   * two users on node 2; Frank reconnects to node 1 while those handovers are still queued, and
   * then Grace, on node 2, writes to him.
   */
  @Test
  @Order(4)
  void reconnectingToTheSameNode_whileItIsBusy_keepsTheUserReachableFromTheOtherNode()
      throws Exception {
    TestUser frank = TestUser.named("frank");
    TestUser grace = TestUser.named("grace");
    TestUser heidi = TestUser.named("heidi");
    List<TestUser> sinks = List.of(TestUser.named("ivan"), TestUser.named("judy"));
    String frankToken = api(node1).signUp(frank);
    int perSink = 900; // below the default queue limit (1000): nothing is acknowledged
    try (ChannelClient g = ChannelClient.open(api(node2), api(node2).signUp(grace));
        ChannelClient h = ChannelClient.open(api(node1), api(node1).signUp(heidi))) {
      List<ChannelClient> sinkClients = new ArrayList<>();
      List<Receiver> sinkReceivers = new ArrayList<>();
      List<CompletableFuture<Void>> sinkReading = new ArrayList<>();
      for (TestUser sink : sinks) {
        ChannelClient c = ChannelClient.open(api(node2), api(node2).signUp(sink));
        Receiver r = new Receiver(c, 1); // withholds every ack
        sinkClients.add(c);
        sinkReceivers.add(r);
        sinkReading.add(CompletableFuture.runAsync(r::run));
      }
      ChannelClient f = ChannelClient.open(api(node1), frankToken);
      try {
        for (int i = 0; i < perSink; i++) {
          for (TestUser sink : sinks) {
            h.send(new WireMessage.Send(newId(), sink.username, envelope("burst " + i)));
          }
        }
        for (int i = 0; i < perSink * sinks.size(); i++) {
          expectWithin(
              h, WireMessage.Accepted.class, LIVE); // every handover is queued on node 1 by now
        }
        int handedOver = sinkReceivers.stream().mapToInt(r -> r.distinct().size()).sum();
        f.close();
        f = openWithin(api(node1), frankToken, LIVE);
        System.out.printf(
            "ClusterIT: Frank reconnected to node 1 with %d of %d handovers of the burst still to"
                + " come%n",
            perSink * sinks.size() - handedOver, perSink * sinks.size());
        awaitTrue(
            () -> sinkReceivers.stream().allMatch(r -> r.distinct().size() == perSink),
            LIVE,
            () -> "the burst did not reach node 2");

        String id = newId();
        g.send(new WireMessage.Send(id, frank.username, envelope("still there?")));
        assertThat(g.expect(WireMessage.Accepted.class).id()).isEqualTo(id);
        WireMessage.Deliver d = expectWithin(f, WireMessage.Deliver.class, LIVE);
        assertThat(d.id()).as("Grace's message, live from node 2").isEqualTo(id);
        f.send(new WireMessage.Ack(id, grace.username));
        assertThat(expectWithin(g, WireMessage.Delivered.class, LIVE).id()).isEqualTo(id);
        g.send(new WireMessage.ReceiptAck(id));
        g.sync();
      } finally {
        f.close();
        sinkClients.forEach(ChannelClient::close);
        for (CompletableFuture<Void> reading : sinkReading) {
          reading.get(60, TimeUnit.SECONDS);
        }
      }
    }
  }

  /**
   * Logging out on one node ends the session everywhere: the user's socket on the other node is
   * closed with 4401 at once, as on a single node (before, it stayed open, answered pings and
   * relayed messages: the revocation was a local event only).
   */
  @Test
  @Order(5)
  void logoutOnOneNode_closesTheUsersSocketOnTheOtherNode_with4401() {
    TestUser erin = TestUser.named("erin");
    TestUser fred = TestUser.named("fred");
    String erinToken = api(node1).signUp(erin);
    String fredToken = api(node2).signUp(fred);
    try (ChannelClient erinOnNode2 = ChannelClient.open(api(node2), erinToken);
        ChannelClient fredOnNode2 = ChannelClient.open(api(node2), fredToken)) {
      erinOnNode2.sync();
      long start = System.nanoTime();
      assertThat(api(node1).delete("api/sessions/current", erinToken).status()).isEqualTo(204);

      assertThat(erinOnNode2.awaitCloseCode()).isEqualTo(CloseCodes.UNAUTHORIZED);
      System.out.printf(
          "ClusterIT: logout on node 1 closed the socket on node 2 within %d ms%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      fredOnNode2.sync(); // another user's socket on that node is untouched
    }
  }

  /**
   * Started with {@code --interfaces 127.0.0.1} (and {@code -Dhazelcast.socket.bind.any=false}, as
   * the README's recipe says), a node's data grid listens on that address only; the HTTP port is
   * the only socket on every address. Read from the kernel's table of listening sockets ({@code ss
   * -ltnp}) for each node's process.
   */
  @Test
  @Order(6)
  void theDataGrid_listensOnlyOnTheConfiguredInterface() throws Exception {
    for (PayaraMicro node : List.of(node1, node2)) {
      List<String> listening = listeningSockets(node.pid());
      assertThat(listening)
          .as("%s listens on its grid port on 127.0.0.1", node)
          .contains("127.0.0.1:" + node.gridPort());
      assertThat(listening.stream().filter(s -> !s.endsWith(":" + node.port())))
          .as(
              "every socket of %s except HTTP (port %d) is bound to 127.0.0.1: %s",
              node, node.port(), listening)
          .allMatch(s -> s.startsWith("127.0.0.1:"));
    }
  }

  /**
   * {@code address:port} of every TCP socket that process {@code pid} listens on, as {@code ss}
   * shows them.
   */
  private static List<String> listeningSockets(long pid) throws Exception {
    Process ss = new ProcessBuilder("ss", "-Hltnp").redirectErrorStream(true).start();
    String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(ss.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(ss.exitValue()).as("ss -Hltnp: %s", out).isZero();
    List<String> sockets = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.contains("pid=" + pid + ",")) {
        String local = line.trim().split("\\s+")[3];
        sockets.add(local.replace("[::ffff:", "").replace("]:", ":").replace("[", ""));
      }
    }
    assertThat(sockets).as("no listening socket of pid %d in:%n%s", pid, out).isNotEmpty();
    return sockets;
  }

  /**
   * Anyone who reaches the grid's port can join it as a Hazelcast client and publish on a node's
   * handover topic. Handovers carry an HMAC under a key derived from the server key (which such an
   * intruder does not hold), so forged ones are ignored: neither a "connected elsewhere" that would
   * close a user's socket (4409), nor a delivery in someone else's name, whether sent bare (the old
   * format) or with a guessed tag.
   */
  @Test
  @Order(7)
  void forgedHandovers_publishedOnTheGrid_areIgnored() throws Exception {
    TestUser gina = TestUser.named("gina");
    String token = api(node1).signUp(gina);
    try (ChannelClient onNode2 = ChannelClient.open(api(node2), token);
        GridIntruder intruder = GridIntruder.join(cluster.name(), node1.gridPort())) {
      String node2Id = intruder.memberAt(node2.gridPort());
      awaitTrue(
          () -> node2Id.equals(intruder.presenceOf(gina.username)),
          LIVE,
          () -> "the intruder does not see Gina on node 2");
      byte[] kick =
          forged(
              out -> {
                out.writeByte(3); // "connected elsewhere"
                out.writeUTF(gina.username);
              });
      byte[] impersonation =
          forged(
              out -> {
                out.writeByte(1); // "deliver"
                out.writeLong(1);
                out.writeUTF("mallory-says-alice");
                out.writeUTF(newId());
                out.writeUTF(gina.username);
                byte[] envelope = "forged".getBytes(StandardCharsets.UTF_8);
                out.writeInt(envelope.length);
                out.write(envelope);
                out.writeLong(System.currentTimeMillis());
                out.writeLong(System.currentTimeMillis() + 60_000);
              });
      byte[] guessedTag = new byte[48];
      new java.security.SecureRandom().nextBytes(guessedTag);
      for (byte[] bare : List.of(kick, impersonation)) {
        intruder.publishTo(node2Id, bare);
        intruder.publishTo(node2Id, concat(bare, guessedTag));
      }
      WireMessage got = onNode2.next(Duration.ofSeconds(3));
      assertThat(got).as("a forged delivery reached Gina").isNull();
      assertThat(onNode2.isOpen())
          .as("a forged 'connected elsewhere' closed Gina's socket")
          .isTrue();
      onNode2.sync();
    }
  }

  private interface Writes {
    void to(java.io.DataOutputStream out) throws IOException;
  }

  private static byte[] forged(Writes writes) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      writes.to(out);
    }
    return bytes.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /**
   * A device linked through node 1 is announced to node 2: the account's version 4 connection there
   * is told the new serial ({@code devicesChanged}) and stays open, and a version 3 connection
   * there is closed with 4426, as on one node. Two accounts, since a device has one connection at a
   * time.
   */
  @Test
  @Order(8)
  void aLinkOnOneNode_tellsTheAccountOnTheOther_andClosesItsVersion3Connection_with4426() {
    TestUser alice = TestUser.named("alice");
    TestUser carol = TestUser.named("carol");
    String aliceToken = api(node1).signUp(alice);
    String carolToken = api(node1).signUp(carol);
    try (ChannelClient aliceOnNode2 = caughtUp(api(node2), aliceToken, V4);
        ChannelClient oldCarolOnNode2 = caughtUp(api(node2), carolToken, 3)) {
      api(node1).link(alice, aliceToken, 1, 1, 2);

      assertThat(expectWithin(aliceOnNode2, WireMessage.DevicesChanged.class, LIVE).serial())
          .isEqualTo(1);
      aliceOnNode2.sync(); // told, not closed

      api(node1).link(carol, carolToken, 1, 1, 2);

      assertThat(oldCarolOnNode2.awaitCloseCode())
          .as("a version 3 connection on node 2, when a device is linked through node 1")
          .isEqualTo(CloseCodes.UPGRADE_REQUIRED);
    }
  }

  /**
   * Bob (one device, node 1) sends one message to Alice's two devices, device 1 on node 1 and
   * device 2 on node 2: each gets its own envelope, each acknowledges for itself, and Bob gets a
   * receipt naming each device, the one from node 2 crossing back.
   */
  @Test
  @Order(9)
  void aSendToTwoDevicesOnTwoNodes_reachesEach_andEachDevicesReceiptReachesTheSender() {
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    String alice1 = api(node1).signUp(alice);
    String alice2 = api(node1).link(alice, alice1, 1, 1, 2);
    String bobToken = api(node1).signUp(bob);
    try (ChannelClient b = caughtUp(api(node1), bobToken, V4);
        ChannelClient a1 = caughtUp(api(node1), alice1, V4);
        ChannelClient a2 = caughtUp(api(node2), alice2, V4)) {
      assertThat(a2.ready().device()).isEqualTo(2);
      String id = newId();
      String to = alice.username;
      b.send(
          new WireMessage.Send(
              id, List.of(new Copy(to, 1, envelope("for 1")), new Copy(to, 2, envelope("for 2")))));
      assertThat(b.expect(WireMessage.Accepted.class).id()).isEqualTo(id);

      WireMessage.Deliver onNode1 = expectWithin(a1, WireMessage.Deliver.class, LIVE);
      WireMessage.Deliver onNode2 = expectWithin(a2, WireMessage.Deliver.class, LIVE);
      for (var d : List.of(onNode1, onNode2)) {
        assertThat(d.id()).isEqualTo(id);
        assertThat(d.from()).isEqualTo(bob.username);
        assertThat(d.device()).as("Bob's sending device").isEqualTo(1);
      }
      assertThat(onNode1.envelope()).isEqualTo(envelope("for 1"));
      assertThat(onNode2.envelope()).isEqualTo(envelope("for 2"));

      a2.send(new WireMessage.Ack(id, bob.username, 1));
      assertThat(expectWithin(b, WireMessage.Delivered.class, LIVE))
          .as("device 2's receipt, from node 2")
          .isEqualTo(new WireMessage.Delivered(id, to, 2));
      a1.send(new WireMessage.Ack(id, bob.username, 1));
      assertThat(expectWithin(b, WireMessage.Delivered.class, LIVE))
          .isEqualTo(new WireMessage.Delivered(id, to, 1));
      b.send(new WireMessage.ReceiptAck(id, to, 2));
      b.send(new WireMessage.ReceiptAck(id, to, 1));
      b.sync();
      a1.sync();
      a2.sync();
    }
  }

  /**
   * Node 2 checks a send against the recipient's device set as it is once the link's notice from
   * node 1 arrived, not against the set it read before: Bob, on node 2, writes to Alice (device 1
   * only; node 2 now holds that set), Alice links device 2 through node 1, and once node 2 has told
   * Alice's connection there ({@code devicesChanged}, sent after node 2 dropped the set), Bob's
   * next send, with copies for both devices, is accepted rather than refused as {@code
   * stale_devices}. (Between the link's answer and the notice's arrival node 2 may still answer
   * {@code stale_devices}; docs/protocol.md lets a set be a little behind.)
   */
  @Test
  @Order(10)
  void aLinkOnOneNode_isInTheDeviceSetTheOtherNodeChecksSendsAgainst_onceItsNoticeArrived() {
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    String aliceToken = api(node1).signUp(alice);
    String bobToken = api(node2).signUp(bob);
    String to = alice.username;
    try (ChannelClient b = caughtUp(api(node2), bobToken, V4);
        ChannelClient aliceOnNode2 = caughtUp(api(node2), aliceToken, V4)) {
      String before = newId();
      b.send(new WireMessage.Send(before, List.of(new Copy(to, 1, envelope("before the link")))));
      assertThat(b.expect(WireMessage.Accepted.class).id()).isEqualTo(before);
      assertThat(expectWithin(aliceOnNode2, WireMessage.Deliver.class, LIVE).id())
          .isEqualTo(before);

      api(node1).link(alice, aliceToken, 1, 1, 2);
      expectWithin(aliceOnNode2, WireMessage.DevicesChanged.class, LIVE);

      String after = newId();
      b.send(
          new WireMessage.Send(
              after,
              List.of(new Copy(to, 1, envelope("to 1")), new Copy(to, 2, envelope("to 2")))));
      assertThat(b.next(LIVE))
          .as("node 2's answer to copies for both of Alice's devices, after the link's notice")
          .isEqualTo(new WireMessage.Accepted(after));
    }
  }

  /**
   * A device list uploaded through node 1 that leaves device 2 out closes device 2's connection on
   * node 2 with 4410 and tells device 1, there too, the new serial; node 2, which had read Alice's
   * two devices for an earlier send, then checks sends against device 1 alone.
   */
  @Test
  @Order(11)
  void aRemovalOnOneNode_closesTheRemovedDeviceOnTheOther_with4410_andTellsTheDeviceLeftThere() {
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    String alice1 = api(node1).signUp(alice);
    String alice2 = api(node1).link(alice, alice1, 1, 1, 2);
    String to = alice.username;
    try (ChannelClient b = caughtUp(api(node2), api(node2).signUp(bob), V4);
        ChannelClient a1 = caughtUp(api(node2), alice1, V4);
        ChannelClient a2 = caughtUp(api(node2), alice2, V4)) {
      String toBoth = newId();
      b.send(
          new WireMessage.Send(
              toBoth,
              List.of(new Copy(to, 1, envelope("to 1")), new Copy(to, 2, envelope("to 2")))));
      assertThat(b.expect(WireMessage.Accepted.class).id()).isEqualTo(toBoth);
      assertThat(expectWithin(a1, WireMessage.Deliver.class, LIVE).id()).isEqualTo(toBoth);

      assertThat(
              api(node1)
                  .put("api/devices/list", alice1, alice.deviceListUpload(alice.identity, 2, 2, 1))
                  .status())
          .isEqualTo(204);

      assertThat(a2.awaitCloseCode()).isEqualTo(CloseCodes.DEVICE_REMOVED);
      assertThat(expectWithin(a1, WireMessage.DevicesChanged.class, LIVE).serial()).isEqualTo(2);
      String again = newId();
      b.send(
          new WireMessage.Send(
              again,
              List.of(new Copy(to, 1, envelope("to 1")), new Copy(to, 2, envelope("to 2")))));
      WireMessage.Error stale = expectWithin(b, WireMessage.Error.class, LIVE);
      assertThat(stale.code()).isEqualTo(ErrorCodes.STALE_DEVICES);
      assertThat(stale.devices())
          .as("node 2's set for Alice after the removal")
          .containsExactly(new UserDevices(to, 2, List.of(1)));
    }
  }

  /**
   * Alice on node 1 keeps sending to Bob on node 2; node 2 is killed (SIGKILL) in the middle. Bob
   * acknowledges only three messages in four, so some are certainly unacknowledged when his node
   * dies, besides those in flight. He reconnects to node 1 and must receive every message Alice saw
   * {@code accepted}, each at least once (the redeliveries of what he had received but not
   * acknowledged are counted, not failed), and later messages arrive live on node 1. Alice ends up
   * with a receipt for every message, live or when she reconnects. And a user who stays connected
   * to the survivor gets, when the other node dies, a receipt that node had stored but not handed
   * over (before, only when he reconnected).
   */
  @Test
  @Order(20)
  void aKilledNode_losesNoAcceptedMessage_andItsUsersCarryOnOnTheSurvivor() throws Exception {
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    String aliceToken = api(node1).signUp(alice);
    String bobToken = api(node2).signUp(bob);
    Sender sender = new Sender(ChannelClient.open(api(node1), aliceToken), bob.username);
    ChannelClient bobOnNode2 = ChannelClient.open(api(node2), bobToken);
    Receiver beforeKill = new Receiver(bobOnNode2, 4);
    CompletableFuture<Void> bobReading = CompletableFuture.runAsync(beforeKill::run);

    // Phase 1: both nodes up; everything crosses live.
    List<String> phase1 = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      phase1.add(sender.send("before " + i));
      Thread.sleep(10);
    }
    awaitTrue(
        () -> beforeKill.distinct().containsAll(phase1),
        LIVE,
        () -> "Bob did not get phase 1 live: missing " + missing(phase1, beforeKill.distinct()));

    // A receipt whose handover is lost, as when its node dies before handing it over: Hank stays on
    // node 1.
    TestUser hank = TestUser.named("hank");
    ChannelClient hankOnNode1 = ChannelClient.open(api(node1), api(node1).signUp(hank));
    String lostReceipt = loseAReceipt(hankOnNode1, hank, TestUser.named("ivy"));

    // Phase 2: node 2 dies (SIGKILL) while Alice keeps sending; then she sends more to the offline
    // Bob.
    CompletableFuture<Long> killed = null;
    for (int i = 0; i < 40; i++) {
      if (i == 10) {
        killed =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    node2.kill();
                    return System.currentTimeMillis();
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                });
      }
      sender.send("during " + i);
      Thread.sleep(10);
    }
    long killedAt = killed.get(60, TimeUnit.SECONDS);
    bobReading.get(60, TimeUnit.SECONDS); // his socket to node 2 ended
    assertThat(node2.isAlive()).isFalse();

    // Phase 3: Bob reconnects to the survivor at once (whether or not it noticed the death yet).
    long reconnecting = System.currentTimeMillis();
    ChannelClient bobOnNode1 = openWithin(api(node1), bobToken, FAILOVER);
    long readyAt = System.currentTimeMillis();
    Receiver afterKill = new Receiver(bobOnNode1, 0);
    Set<String> accepted = sender.accepted();
    Set<String> before = beforeKill.distinct();
    afterKill.readUntil(got -> union(before, got).containsAll(accepted), FAILOVER);
    Set<String> all = union(before, afterKill.distinct());
    assertThat(missing(accepted, all)).as("accepted but never delivered to Bob").isEmpty();
    assertThat(all).as("delivered to Bob but never accepted").isSubsetOf(accepted);
    assertThat(afterKill.distinct())
        .as("received on node 2 without an ack: redelivered by node 1")
        .containsAll(beforeKill.withheld());

    // Phase 4: Alice and Bob, both on node 1 now: live again.
    List<String> phase4 = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = sender.send("after " + i);
      phase4.add(id);
      afterKill.readUntil(got -> got.contains(id), LIVE);
    }
    bobOnNode1.sync();

    // Receipts: every message was acknowledged by Bob once; Alice gets each receipt, live or from
    // the queue.
    sender.drain(Duration.ofSeconds(2));
    sender.syncCollectingReceipts();
    sender.client.close();
    try (ChannelClient aliceAgain = ChannelClient.open(api(node1), aliceToken)) {
      Sender reconnected = new Sender(aliceAgain, bob.username);
      reconnected.syncCollectingReceipts();
      Set<String> receipts = union(sender.receipts, reconnected.receipts);
      assertThat(missing(sender.accepted(), receipts))
          .as("accepted messages without a receipt for Alice")
          .isEmpty();
    }
    bobOnNode1.close();

    // Hank, connected to node 1 all along, gets the receipt that node 2 could not hand over,
    // without reconnecting.
    WireMessage.Delivered late = expectWithin(hankOnNode1, WireMessage.Delivered.class, FAILOVER);
    assertThat(late.id()).isEqualTo(lostReceipt);
    hankOnNode1.send(new WireMessage.ReceiptAck(late.id()));
    hankOnNode1.sync();
    hankOnNode1.close();

    int received = beforeKill.received.size() + afterKill.received.size();
    int distinct = union(beforeKill.distinct(), afterKill.distinct()).size();
    System.out.printf(
        "ClusterIT: %d accepted (%d while and after node 2 was killed), %d delivered to Bob, %d distinct, %d"
            + " duplicates (%d withheld acks); grid size 1 on node 1 %d ms after the kill; Bob ready on node 1"
            + " %d ms after reconnecting (%d ms after the kill)%n",
        accepted.size() + phase4.size(),
        30,
        received,
        distinct,
        received - distinct,
        beforeKill.withheld().size(),
        node1.awaitGridSize(1, FAILOVER) - killedAt,
        readyAt - reconnecting,
        readyAt - killedAt);
  }

  /**
   * Hank (node 1) writes to Ivy (node 2); before Ivy acknowledges, Hank's presence entry is erased
   * from the grid, so node 2 stores the receipt but has nowhere to hand it: exactly what is left
   * when a node dies between committing an acknowledgement and handing its receipt over. Returns
   * the message id.
   */
  private static String loseAReceipt(ChannelClient hank, TestUser hankUser, TestUser ivy) {
    String ivyToken = api(node2).signUp(ivy);
    try (ChannelClient ivyOnNode2 = ChannelClient.open(api(node2), ivyToken);
        GridIntruder grid = GridIntruder.join(cluster.name(), node1.gridPort())) {
      String id = newId();
      hank.send(new WireMessage.Send(id, ivy.username, envelope("will you tell me?")));
      assertThat(hank.expect(WireMessage.Accepted.class).id()).isEqualTo(id);
      assertThat(expectWithin(ivyOnNode2, WireMessage.Deliver.class, LIVE).id()).isEqualTo(id);
      grid.erasePresence(hankUser.username);
      ivyOnNode2.send(new WireMessage.Ack(id, hankUser.username));
      ivyOnNode2
          .sync(); // node 2 committed the acknowledgement and found no node to hand the receipt to
      assertThat(hank.next(Duration.ofSeconds(2)))
          .as("the receipt's handover should have been lost")
          .isNull();
      return id;
    }
  }

  /** Alice's side: sends one message at a time, answering the receipts that arrive meanwhile. */
  private static final class Sender {
    final ChannelClient client;
    final String to;
    final Set<String> accepted = Collections.synchronizedSet(new LinkedHashSet<>());
    final Set<String> receipts = ConcurrentHashMap.newKeySet();

    Sender(ChannelClient client, String to) {
      this.client = client;
      this.to = to;
    }

    Set<String> accepted() {
      synchronized (accepted) {
        return new LinkedHashSet<>(accepted);
      }
    }

    /** Sends and waits for {@code accepted}; returns the id. */
    String send(String text) {
      String id = newId();
      client.send(new WireMessage.Send(id, to, envelope(text)));
      long deadline = System.nanoTime() + LIVE.toNanos();
      while (true) {
        WireMessage m = next(deadline);
        if (m instanceof WireMessage.Accepted a && a.id().equals(id)) {
          accepted.add(id);
          return id;
        }
        if (!receipt(m)) {
          throw new AssertionError("expected accepted for " + id + ", got " + m);
        }
      }
    }

    /** Answers receipts for {@code quiet}. */
    void drain(Duration quiet) {
      for (WireMessage m = client.next(quiet); m != null; m = client.next(quiet)) {
        if (!receipt(m)) {
          throw new AssertionError("unexpected " + m);
        }
      }
    }

    /** Ping, answering every receipt that comes before the pong. */
    void syncCollectingReceipts() {
      client.send(new WireMessage.Ping());
      long deadline = System.nanoTime() + LIVE.toNanos();
      while (true) {
        WireMessage m = next(deadline);
        if (m instanceof WireMessage.Pong) {
          return;
        }
        if (!receipt(m)) {
          throw new AssertionError("expected receipts then pong, got " + m);
        }
      }
    }

    private boolean receipt(WireMessage m) {
      if (m instanceof WireMessage.Delivered d) {
        receipts.add(d.id());
        client.send(new WireMessage.ReceiptAck(d.id()));
        return true;
      }
      return false;
    }

    private WireMessage next(long deadline) {
      WireMessage m = client.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (m == null) {
        throw new AssertionError(
            "nothing from the server in time; connection open: " + client.isOpen());
      }
      return m;
    }
  }

  /**
   * Bob's side: takes deliveries and acknowledges them, except every {@code withholdEvery}-th (0:
   * none).
   */
  private static final class Receiver {
    final ChannelClient client;
    final int withholdEvery;
    final List<String> received = Collections.synchronizedList(new ArrayList<>());
    final Set<String> withheld = ConcurrentHashMap.newKeySet();

    Receiver(ChannelClient client, int withholdEvery) {
      this.client = client;
      this.withholdEvery = withholdEvery;
    }

    /** Reads until the connection ends. */
    void run() {
      while (true) {
        WireMessage m = client.next(Duration.ofMillis(200));
        if (m == null) {
          if (!client.isOpen()) {
            return;
          }
        } else if (!take(m)) {
          return; // the node went away mid-ack
        }
      }
    }

    /** Reads (on the caller's thread) until {@code done} holds for what was received. */
    void readUntil(Predicate<Set<String>> done, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!done.test(distinct())) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "Bob's deliveries did not complete in "
                  + timeout
                  + "; he has "
                  + distinct().size()
                  + ", connection open: "
                  + client.isOpen());
        }
        WireMessage m = client.next(Duration.ofNanos(left));
        if (m != null && !take(m)) {
          throw new AssertionError("Bob's connection failed");
        }
      }
    }

    private boolean take(WireMessage m) {
      if (!(m instanceof WireMessage.Deliver d)) {
        throw new AssertionError("Bob expected deliveries only, got " + m);
      }
      int n;
      synchronized (received) {
        received.add(d.id());
        n = received.size();
      }
      if (withholdEvery > 0 && n % withholdEvery == 0) {
        withheld.add(d.id());
        return true;
      }
      try {
        client.send(new WireMessage.Ack(d.id(), d.from()));
        return true;
      } catch (RuntimeException closed) {
        return false;
      }
    }

    Set<String> distinct() {
      synchronized (received) {
        return new LinkedHashSet<>(received);
      }
    }

    Set<String> withheld() {
      return Set.copyOf(withheld);
    }
  }

  /**
   * Opens Bob's connection, allowing {@code timeout} for the handshake and authentication (a
   * failover).
   */
  private static ChannelClient openWithin(Api api, String token, Duration timeout) {
    ChannelClient client = ChannelClient.connect(api);
    client.handshake(api.serverKey());
    client.authenticate(token);
    WireMessage ready = client.next(timeout);
    if (!(ready instanceof WireMessage.Ready)) {
      throw new AssertionError("expected ready within " + timeout + ", got " + ready);
    }
    return client;
  }

  /** A connection to {@code api}'s node offering relay {@code version}, past its catch-up. */
  private static ChannelClient caughtUp(Api api, String token, int version) {
    return ChannelClient.caughtUp(api, token, version);
  }

  private static <T extends WireMessage> T expectWithin(
      ChannelClient client, Class<T> type, Duration timeout) {
    WireMessage m = client.next(timeout);
    if (!type.isInstance(m)) {
      throw new AssertionError(
          "expected "
              + type.getSimpleName()
              + " within "
              + timeout
              + ", got "
              + m
              + "; connection open: "
              + client.isOpen());
    }
    return type.cast(m);
  }

  private static void awaitTrue(
      BooleanSupplier condition, Duration timeout, Supplier<String> failure)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(failure.get());
      }
      Thread.sleep(50);
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return all;
  }

  private static List<String> missing(Collection<String> expected, Set<String> got) {
    return expected.stream().filter(id -> !got.contains(id)).toList();
  }

  private static String envelope(String text) {
    return Bytes.base64(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }
}
