package com.securecom.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.securecom.it.support.Api;
import com.securecom.it.support.PayaraServer;
import com.securecom.it.support.RawWebSocket;
import com.securecom.protocol.channel.ClientHandshake;
import com.securecom.protocol.channel.CloseCodes;
import com.securecom.testkit.TestDatabase;
import com.securecom.testkit.WorkDirectories;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * New channel connections are limited per client address before any handshake: on a server of its
 * own with 5 a minute ({@code securecom.channel.auth.per-address}; the shared server allows
 * 100,000, as every other test connects from 127.0.0.1) and the proxy of arquillian.xml (127.0.0.1
 * trusted, {@code X-Forwarded-For}), so that the test can connect from several addresses.
 */
class ChannelConnectionLimitIT {
  private static final int LIMIT = 5;

  /** The limit's window over the limit: an address regains one connection this often. */
  private static final long REFILL_MILLIS = 60_000 / LIMIT;

  private static PayaraServer server;

  @BeforeAll
  static void start() throws Exception {
    Path work = WorkDirectories.create("channel-limit");
    server =
        PayaraServer.start(
            work,
            Map.ofEntries(
                Map.entry("securecom.db.url", TestDatabase.h2(work.resolve("db")).url()),
                Map.entry("securecom.server-key.file", work.resolve("server.key").toString()),
                Map.entry("securecom.channel.auth.per-address", Integer.toString(LIMIT)),
                Map.entry("securecom.channel.auth.window", "PT1M"),
                Map.entry("securecom.http.client-address-header", "X-Forwarded-For"),
                Map.entry("securecom.http.trusted-proxies", "127.0.0.1")));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /**
   * The first {@value #LIMIT} connections from an address do their handshake; the next is closed
   * with 4429 before it: its ClientHello is never answered (the server did no X25519 or signature
   * for it, as its handshake metric shows), and the refusal is counted. Another address, and the
   * proxy's own, still connect; after one refill period the limited address connects again.
   */
  @Test
  void anAddressOverItsLimit_isClosedWith4429BeforeTheHandshake_othersAreNot() throws Exception {
    Api api = server.api();
    String attacker = "X-Forwarded-For: 198.51.100.7";
    double handshakesBefore = handshakes(api);
    long firstTaken = System.currentTimeMillis();

    for (int i = 0; i < LIMIT; i++) {
      assertThat(handshakeFrom(api, attacker)).as("connection %d", i + 1).isTrue();
    }
    assertThat(System.currentTimeMillis() - firstTaken)
        .as("the limit's connections were made before one came back")
        .isLessThan(REFILL_MILLIS);
    assertRefused(api, attacker);
    assertRefused(api, attacker);

    assertThat(handshakes(api) - handshakesBefore)
        .as("handshakes the server did: none for the refused connections")
        .isEqualTo(LIMIT);
    assertThat(api.metric("securecom_channel_closed_total", "code=\"4429\"")).isEqualTo(2);
    assertThat(api.metric("securecom_rate_limited_total", "operation=\"channel\"")).isEqualTo(2);

    assertThat(handshakeFrom(api, "X-Forwarded-For: 203.0.113.9"))
        .as("another address is not affected")
        .isTrue();
    assertThat(handshakeFrom(api)).as("nor is the proxy's own address").isTrue();

    Thread.sleep(REFILL_MILLIS + 500);
    assertThat(handshakeFrom(api, attacker)).as("one more after a refill period").isTrue();
  }

  /** Connects with these header lines and runs the handshake: true if the server answered it. */
  private static boolean handshakeFrom(Api api, String... headers) {
    try (RawWebSocket socket =
        RawWebSocket.upgrade(api, "GET", RawWebSocket.newKey(), 0, headers)) {
      assertThat(socket.status()).isEqualTo(101);
      ClientHandshake handshake = new ClientHandshake(api.serverKey(), new SecureRandom());
      socket.sendBinary(handshake.hello());
      RawWebSocket.Frame answer = socket.readFrame();
      if (answer == null || answer.opcode() != 0x2) {
        return false;
      }
      assertThatCode(() -> handshake.finish(answer.payload())).doesNotThrowAnyException();
      return true;
    }
  }

  /**
   * Connects with these header lines (the upgrade succeeds: a browser could not read an HTTP
   * status), sends a ClientHello, and expects a close with 4429 as the first and only answer.
   */
  private static void assertRefused(Api api, String... headers) throws InterruptedException {
    try (RawWebSocket socket =
        RawWebSocket.upgrade(api, "GET", RawWebSocket.newKey(), 0, headers)) {
      assertThat(socket.status()).isEqualTo(101);
      socket.sendBinary(new ClientHandshake(api.serverKey(), new SecureRandom()).hello());
      RawWebSocket.Frame answer = socket.readFrame();
      assertThat(answer).as("an answer").isNotNull();
      assertThat(answer.opcode()).as("a close, not a ServerHello").isEqualTo(0x8);
      assertThat(answer.closeCode()).isEqualTo(CloseCodes.RATE_LIMITED);
    }
    // Payara Micro 6 recycles a closed WebSocket's HTTP objects after the close frame is out: an
    // upgrade in that moment can be torn down with it (Payara issue 5432; see ChannelClient).
    Thread.sleep(400);
  }

  private static double handshakes(Api api) {
    return api.metric("securecom_channel_handshake_microseconds_count", null);
  }
}
