package com.securecom.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Users of the bare relay, linked through the relay's one rule (a frame {@code len(to) || to ||
 * rest} goes, unchanged, to {@code to}), with every frame on the way counted.
 */
class BareUserTest {
  private static final int SIZE = 1024;

  private final Stats stats = new Stats();
  private final Map<String, BareUser> byName = new HashMap<>();
  private final List<Integer> frameSizes = new ArrayList<>();

  private BareUser[] users(boolean acknowledged) {
    BareUser[] everyone = {
      new BareUser("alice", 0, 10, stats, acknowledged),
      new BareUser("bob", 1, 10, stats, acknowledged)
    };
    for (BareUser u : everyone) {
      u.everyone = everyone;
      byName.put(u.name, u);
      u.link(this::relay);
    }
    return everyone;
  }

  /** What BareRelayEndpoint does with a frame. */
  private void relay(ByteBuffer frame) {
    byte[] bytes = new byte[frame.remaining()];
    frame.get(bytes);
    frameSizes.add(bytes.length);
    byName.get(new String(bytes, 1, bytes[0], StandardCharsets.US_ASCII)).frame(bytes);
  }

  @Test
  void aPlainMessage_isTwoFramesOnTheWire_oneThroughTheRelay_andCountsAsAcceptedWhenSent()
      throws InterruptedException {
    BareUser[] users = users(false);
    users[0].window.acquire();

    users[0].send(users[1], System.nanoTime(), SIZE);

    assertEquals(List.of(1 + "bob".length() + SIZE), frameSizes);
    assertEquals(1, stats.delivered.sum());
    assertEquals(1, stats.accepted.sum());
    assertEquals(10, users[0].window.availablePermits());
  }

  @Test
  void anAcknowledgedMessage_isAnsweredThroughTheRelay_andCountsAsAcceptedWhenTheAckArrives()
      throws InterruptedException {
    BareUser[] users = users(true);
    users[1].window.acquire();

    users[1].send(users[0], System.nanoTime(), SIZE);

    assertEquals(
        List.of(1 + "alice".length() + 1 + SIZE, 1 + "bob".length() + 1 + BareUser.ACK_BODY),
        frameSizes,
        "the message to alice, then alice's ack to bob");
    assertEquals(1, stats.delivered.sum());
    assertEquals(1, stats.accepted.sum());
    assertEquals(1, stats.sent.sum());
    assertEquals(10, users[1].window.availablePermits());
  }

  @Test
  void anAck_isNotADelivery() {
    BareUser[] users = users(true);

    relay(BareUser.frame("alice", BareUser.ACK, ByteBuffer.allocate(BareUser.ACK_BODY)));

    assertEquals(0, stats.delivered.sum());
    assertEquals(1, stats.accepted.sum());
    assertEquals(1, frameSizes.size(), "an ack is not answered");
    assertEquals(10, users[0].window.availablePermits());
  }
}
