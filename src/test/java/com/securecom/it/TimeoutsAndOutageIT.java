package com.securecom.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.it.support.Api;
import com.securecom.it.support.ChannelClient;
import com.securecom.it.support.PayaraServer;
import com.securecom.it.support.TestUser;
import com.securecom.protocol.channel.CloseCodes;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.testkit.Ports;
import com.securecom.testkit.WorkDirectories;
import jakarta.websocket.CloseReason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Promises about time and failure, on a server of its own whose database is an H2 TCP server in
 * this JVM, so the test can look into it and take it away: a message whose time to live ended
 * before housekeeping purged it, the idle timeout, an expired session closing its open socket, and,
 * last, {@code unavailable} for a {@code send} and {@code /health/ready} DOWN while the database is
 * down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TimeoutsAndOutageIT {
  private static final long IDLE_MILLIS = 4_000;
  private static final long SESSION_MILLIS = 25_000;
  private static final long MESSAGE_TTL_MILLIS = 4_000;
  private static Server database;
  private static String databaseUrl;
  private static PayaraServer server;

  @BeforeAll
  static void start() throws Exception {
    Path work = WorkDirectories.create("outage");
    int port = Ports.free();
    database =
        Server.createTcpServer(
                "-tcpPort",
                Integer.toString(port),
                "-baseDir",
                work.resolve("db").toString(),
                "-ifNotExists")
            .start();
    databaseUrl =
        "jdbc:h2:tcp://127.0.0.1:"
            + port
            + "/securecom;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    server =
        PayaraServer.start(
            work,
            Map.of(
                "securecom.db.url", databaseUrl,
                "securecom.server-key.file", work.resolve("server.key").toString(),
                "securecom.channel.idle-timeout", "PT" + IDLE_MILLIS / 1000 + "S",
                "securecom.session.ttl", "PT" + SESSION_MILLIS / 1000 + "S",
                "securecom.relay.ttl", "PT" + MESSAGE_TTL_MILLIS / 1000 + "S"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (database != null) {
      database.stop();
    }
  }

  private static Api api() {
    return server.api();
  }

  /**
   * First, within the minute before the first housekeeping run, so the expired message is still
   * stored: a recipient that got it before its time to live ended, did not acknowledge it, and
   * comes back after, neither gets it again nor, by acknowledging it late, owes its sender a
   * receipt.
   */
  @Test
  @Order(1)
  void expiredMessage_isNotDeliveredAgain_andALateAckEarnsTheSenderNoReceipt() throws Exception {
    TestUser bob = TestUser.named("late-bob");
    api().register(bob, 0);
    String bobToken = api().login(bob);
    String aliceToken = api().signUp(TestUser.named("alice-ttl"));
    String aliceName;
    long accepted;
    try (ChannelClient alice = ChannelClient.open(api(), aliceToken, 2)) {
      alice.expect(WireMessage.CaughtUp.class);
      alice.send(
          new WireMessage.Send(
              "short-lived", bob.username, Bytes.base64("z".getBytes(StandardCharsets.UTF_8))));
      alice.expect(WireMessage.Accepted.class);
      accepted = System.currentTimeMillis();
      aliceName = alice.ready().username();
    }
    try (ChannelClient early = ChannelClient.open(api(), bobToken, 2)) {
      assertThat(early.expect(WireMessage.Deliver.class).id()).isEqualTo("short-lived");
      early.expect(WireMessage.CaughtUp.class);
    }
    Thread.sleep(Math.max(0, accepted + MESSAGE_TTL_MILLIS + 500 - System.currentTimeMillis()));
    assertThat(storedCopies("short-lived")).as("not purged yet: expiry alone").isEqualTo(1);

    try (ChannelClient alice = ChannelClient.open(api(), aliceToken, 2)) {
      alice.expect(WireMessage.CaughtUp.class);
      try (ChannelClient late = ChannelClient.open(api(), bobToken, 2)) {
        late.expect(WireMessage.CaughtUp.class);
        late.send(new WireMessage.Ack("short-lived", aliceName));
        late.sync();
      }
      // A receipt would be on alice's connection before the pong (frames are answered in order).
      alice.sync();
    }
    try (ChannelClient again = ChannelClient.open(api(), aliceToken, 2)) {
      again.expect(WireMessage.CaughtUp.class);
    }
    assertThat(storedCopies("short-lived")).as("still waiting for the purge").isEqualTo(1);
  }

  private static long storedCopies(String messageId) throws Exception {
    try (Connection c = DriverManager.getConnection(databaseUrl, "sa", "");
        PreparedStatement count =
            c.prepareStatement("SELECT COUNT(*) FROM relay_message WHERE message_id = ?")) {
      count.setString(1, messageId);
      try (ResultSet row = count.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  @Test
  @Order(2)
  void silentConnection_isClosedAfterTheIdleTimeout_andAPingingOneIsNot() throws Exception {
    String token = api().signUp(TestUser.named("idle"));
    try (ChannelClient c = ChannelClient.open(api(), token)) {
      for (int i = 0; i < 4; i++) {
        Thread.sleep(IDLE_MILLIS / 2);
        c.sync();
      }
      long silentSince = System.currentTimeMillis();
      CloseReason reason = c.awaitClose();
      long after = System.currentTimeMillis() - silentSince;
      assertThat(after).isBetween(IDLE_MILLIS - 500, IDLE_MILLIS + 6_000);
      // Tyrus closes an idle session with 1000 "Session closed by the container because of the idle
      // timeout."
      assertThat(reason.getCloseCode().getCode())
          .as(reason.toString())
          .isEqualTo(CloseCodes.NORMAL);
      assertThat(reason.getReasonPhrase()).contains("idle timeout");
    }
  }

  @Test
  @Order(3)
  void expiredSession_closesItsOpenSocketWith4401() throws Exception {
    long loggedIn = System.currentTimeMillis();
    String token = api().signUp(TestUser.named("expiring"));
    try (ChannelClient c = ChannelClient.open(api(), token)) {
      while (c.isOpen() && System.currentTimeMillis() - loggedIn < SESSION_MILLIS + 75_000) {
        Thread.sleep(IDLE_MILLIS / 2);
        if (c.isOpen()) {
          try {
            c.send(new WireMessage.Ping());
          } catch (RuntimeException closedMeanwhile) {
            break;
          }
        }
      }
      long closedAt = System.currentTimeMillis() - loggedIn;
      CloseReason reason = c.awaitClose();
      assertThat(reason.getCloseCode().getCode())
          .as(reason.toString())
          .isEqualTo(CloseCodes.UNAUTHORIZED);
      assertThat(closedAt)
          .as("closed after the session's lifetime, within a housekeeping minute")
          .isBetween(SESSION_MILLIS - 1_000, SESSION_MILLIS + 65_000);
    }
  }

  @Test
  @Order(4)
  void databaseDown_sendIsUnavailable_andReadinessIsDown() throws Exception {
    TestUser bob = TestUser.named("bob");
    api().register(bob, 0);
    String token = api().signUp(TestUser.named("alice"));
    try (ChannelClient a = ChannelClient.open(api(), token)) {
      a.send(
          new WireMessage.Send(
              "before", bob.username, Bytes.base64("x".getBytes(StandardCharsets.UTF_8))));
      a.expect(WireMessage.Accepted.class);
      assertThat(api().get("health/ready", null).status()).isEqualTo(200);

      database.stop();

      a.send(
          new WireMessage.Send(
              "during", bob.username, Bytes.base64("y".getBytes(StandardCharsets.UTF_8))));
      WireMessage.Error error = a.expect(WireMessage.Error.class);
      assertThat(error.id()).isEqualTo("during");
      assertThat(error.code()).isEqualTo("unavailable");
      assertThat(api().get("health/ready", null).status()).isEqualTo(503);
      assertThat(api().get("health/ready", null).raw().body()).contains("DOWN");
    }
  }
}
