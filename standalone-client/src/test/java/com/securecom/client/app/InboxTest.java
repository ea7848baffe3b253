package com.securecom.client.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.wire.WireMessage;
import org.junit.jupiter.api.Test;

/**
 * Receiving: what is shown, acknowledged and answered for each kind of delivery (real clients, fake
 * relay).
 */
class InboxTest extends AgainstHostileServer {
  @Test
  void aRedelivery_isAcknowledgedAgain_butShownOnce() throws Exception {
    TestClient alice = client("alice").publish().connect();
    TestClient bob = client("bob").publish().connect();
    String id = alice.send("bob", "hello");
    server.settle();
    WireMessage.Send sent = server.relayed.get(0);

    server.inject("bob", "alice", id, sent.envelope());
    server.settle();

    assertThat(bob.texts()).containsExactly("hello");
    assertThat(server.acks.stream().filter(a -> a.equals("bob/" + id))).hasSize(2);
  }

  @Test
  void aTextFromThePin_isShownConfirmed_andAnsweredWithADeliveryReceipt() throws Exception {
    TestClient alice = client("alice").publish().connect();
    TestClient bob = client("bob").publish().connect();

    String id = alice.send("bob", "hello");
    server.settle();

    assertThat(bob.received)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.from()).isEqualTo("alice");
              assertThat(r.id()).isEqualTo(id);
              assertThat(r.unconfirmed()).isFalse();
            });
    assertThat(bob.contact("alice").matches(alice.vault.data().identity.publicIdentity("alice")))
        .isTrue();
    assertThat(alice.sent).containsEntry(id, SentState.DELIVERED);
    assertThat(bob.messenger().timings().decrypt).isNotNull();
  }

  @Test
  void anEnvelopeThatIsNotOne_isAcknowledged_reported_andShownNowhere() throws Exception {
    TestClient bob = client("bob").publish().connect();
    client("alice").publish().connect();

    server.inject("bob", "alice", "garbage-1", "not base64 %%%");
    server.inject("bob", "alice", "garbage-2", "AAAA");
    server.settle();

    assertThat(bob.received).isEmpty();
    assertThat(bob.warnings)
        .containsExactly(
            "a message from alice could not be decrypted",
            "a message from alice could not be decrypted");
    assertThat(server.acks).contains("bob/garbage-1", "bob/garbage-2");
    assertThat(bob.contact("alice")).as("nothing authenticated: nothing pinned").isNull();
  }

  @Test
  void aFirstMessageFromSomeoneTheRegistryDoesNotKnow_isAcknowledged_andNotShown()
      throws Exception {
    TestClient bob = client("bob").publish().connect();
    TestClient carol = client("carol").connect(); // carol's keys were never published

    String id = carol.send("bob", "who am I");
    server.settle();

    assertThat(bob.received).isEmpty();
    assertThat(bob.warnings).contains("a message from carol could not be decrypted");
    assertThat(server.acks).contains("bob/" + id);
    assertThat(bob.contact("carol")).isNull();
  }

  @Test
  void aClientThatOnlySends_leavesDeliveriesOnTheServer() throws Exception {
    TestClient alice = client("alice").publish().connect();
    TestClient bob = client("bob").publish().connect();
    bob.messenger().leaveIncomingQueued();

    String id = alice.send("bob", "read me later");
    server.settle();

    assertThat(bob.received).isEmpty();
    assertThat(server.acks).doesNotContain("bob/" + id);
    assertThat(alice.sent).containsEntry(id, SentState.SENT);
  }
}
