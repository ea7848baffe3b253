package com.securecom.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.securecom.protocol.wire.WireMessage;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoadResultTest {
  private final UserLedger alice = new UserLedger("alice", true);
  private final UserLedger bob = new UserLedger("bob", true);
  private final UserLedger carol = new UserLedger("carol", true);

  @Test
  void anAcceptedMessageNoRecipientGotIsLost() {
    alice.sending(new WireMessage.Send("a1", "bob", "AA=="));
    alice.sending(new WireMessage.Send("a2", "bob", "AA=="));
    alice.accepted("a1");
    alice.accepted("a2");
    bob.received(new MessageKey("alice", "a1"));

    LoadResult result = result();

    assertEquals(Set.of(new MessageKey("alice", "a2")), result.lost());
    assertEquals("alice/a2 -> bob", result.describe(result.lost(), 10));
    assertFalse(result.settled());
  }

  @Test
  void aMessageDeliveredToAnotherUserOrNeverSentIsReported() {
    alice.sending(new WireMessage.Send("a1", "bob", "AA=="));
    alice.accepted("a1");
    carol.received(new MessageKey("alice", "a1"));
    bob.received(new MessageKey("alice", "never-sent"));

    LoadResult result = result();

    assertEquals(Set.of(new MessageKey("alice", "a1")), result.misdelivered());
    assertEquals(Set.of(new MessageKey("alice", "never-sent")), result.unexpected());
  }

  @Test
  void aRunIsSettledWhenEverySendIsAnsweredDeliveredAndReceipted() {
    alice.sending(new WireMessage.Send("a1", "bob", "AA=="));
    alice.accepted("a1");
    bob.received(new MessageKey("alice", "a1"));
    bob.received(new MessageKey("alice", "a1"));
    assertFalse(result().settled(), "the receipt is outstanding");

    alice.receipt("a1");
    LoadResult result = result();

    assertTrue(result.settled());
    assertEquals(1, result.duplicatesRemoved());
    assertEquals(Set.of(), result.lost());
  }

  private LoadResult result() {
    return LoadResult.of(List.of(alice.snapshot(), bob.snapshot(), carol.snapshot()), new Stats());
  }
}
