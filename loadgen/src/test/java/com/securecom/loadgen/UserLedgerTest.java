package com.securecom.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.securecom.protocol.wire.WireMessage;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserLedgerTest {
  private final UserLedger alice = new UserLedger("alice", true);

  @Test
  void aSendStaysUnansweredUntilAcceptedRefusedOrReceipted() {
    WireMessage.Send m1 = send("m1");
    WireMessage.Send m2 = send("m2");
    WireMessage.Send m3 = send("m3");
    WireMessage.Send m4 = send("m4");
    List.of(m1, m2, m3, m4).forEach(alice::sending);

    assertTrue(alice.accepted("m1"));
    alice.refused("m2", "queue_full");
    alice.receipt("m3"); // its "accepted" was lost with the connection

    assertEquals(List.of(m4), alice.unanswered());
    assertTrue(alice.isUnanswered("m4"));
    assertFalse(alice.isUnanswered("m3"));
  }

  @Test
  void aSecondAcceptedForTheSameIdIsNotNew() {
    alice.sending(send("m1"));

    assertTrue(alice.accepted("m1"));
    assertFalse(alice.accepted("m1"));
    assertEquals(Set.of("m1"), alice.snapshot().accepted());
  }

  @Test
  void theApplicationSeesEachSenderAndIdOnceAndDuplicatesAreCounted() {
    assertTrue(alice.received(new MessageKey("bob", "1")));
    assertTrue(
        alice.received(new MessageKey("carol", "1"))); // same id, another sender: another message
    assertFalse(alice.received(new MessageKey("bob", "1")));
    assertFalse(alice.received(new MessageKey("bob", "1")));

    UserLedger.Snapshot snapshot = alice.snapshot();
    assertEquals(
        Set.of(new MessageKey("bob", "1"), new MessageKey("carol", "1")), snapshot.received());
    assertEquals(2, snapshot.duplicates());
  }

  @Test
  void aLedgerThatDoesNotTrackKeepsNothingAndTakesEverythingAsNew() {
    UserLedger counting = new UserLedger("alice", false);
    counting.sending(send("m1"));

    assertTrue(counting.accepted("m1"));
    assertTrue(counting.accepted("m1"));
    assertTrue(counting.received(new MessageKey("bob", "1")));
    assertTrue(counting.received(new MessageKey("bob", "1")));
    assertEquals(List.of(), counting.unanswered());
    assertEquals(0, counting.snapshot().duplicates());
  }

  private static WireMessage.Send send(String id) {
    return new WireMessage.Send(id, "bob", "AA==");
  }
}
