package com.securecom.client.e2e;

import static com.securecom.client.e2e.Pair.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A thousand messages each way, sends interleaved at random, each delivered anywhere within a
 * window of the oldest undelivered ones, and both sessions persisted and restored now and then.
 */
class LongConversationTest {
  private static final int MESSAGES_EACH_WAY = 1000;
  private static final int WINDOW = 12;

  private record InFlight(byte[] envelope, String text) {}

  @Test
  void thousandMessagesEachWay_outOfOrderWithinTheWindow_allDecrypt() throws Exception {
    Pair p = new Pair();
    Session alice = p.alice;
    Session bob = p.bob;
    Random random = new Random(20250101);
    List<InFlight> toBob = new ArrayList<>();
    List<InFlight> toAlice = new ArrayList<>();
    int aliceSent = 0;
    int bobSent = 0;
    int delivered = 0;
    int steps = 0;
    while (aliceSent < MESSAGES_EACH_WAY
        || bobSent < MESSAGES_EACH_WAY
        || !toBob.isEmpty()
        || !toAlice.isEmpty()) {
      switch (random.nextInt(4)) {
        case 0 -> {
          if (aliceSent < MESSAGES_EACH_WAY) {
            String text = "alice " + aliceSent++;
            toBob.add(new InFlight(alice.encrypt(utf8(text)), text));
          }
        }
        case 1 -> {
          if (bobSent < MESSAGES_EACH_WAY) {
            String text = "bob " + bobSent++;
            toAlice.add(new InFlight(bob.encrypt(utf8(text)), text));
          }
        }
        case 2 -> {
          if (!toBob.isEmpty()) {
            InFlight m = toBob.remove(random.nextInt(Math.min(WINDOW, toBob.size())));
            assertThat(bob.decrypt(m.envelope())).isEqualTo(utf8(m.text()));
            delivered++;
          }
        }
        default -> {
          if (!toAlice.isEmpty()) {
            InFlight m = toAlice.remove(random.nextInt(Math.min(WINDOW, toAlice.size())));
            assertThat(alice.decrypt(m.envelope())).isEqualTo(utf8(m.text()));
            delivered++;
          }
        }
      }
      if (++steps % 500 == 0) {
        alice = Session.fromBytes(alice.toBytes(), p.random);
        bob = Session.fromBytes(bob.toBytes(), p.random);
      }
    }
    assertThat(delivered).isEqualTo(2 * MESSAGES_EACH_WAY);
    assertThat(alice.state().skippedKeyCount()).isZero();
    assertThat(bob.state().skippedKeyCount()).isZero();
    assertThat(alice.state().awaitingReply()).isFalse();
  }
}
