package com.securecom.client.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.client.e2e.MessagePayload;
import com.securecom.client.e2e.SessionRecord;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.wire.ErrorCodes;
import com.securecom.protocol.wire.WireMessage;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sending: what goes to the relay, what the user is told, and what stays in the outbox (real
 * clients, fake relay).
 */
class OutboxTest extends AgainstHostileServer {
  @Test
  void aMessageTheRelayRefusesForGood_throwsWithTheRelaysCode_andLeavesNothingToResend()
      throws Exception {
    TestClient alice = client("alice").publish().connect();
    client("bob").publish().connect();
    server.refuseMessagesTo("bob", ErrorCodes.UNKNOWN_RECIPIENT, "no such account");

    assertThatThrownBy(() -> alice.send("bob", "hello"))
        .isInstanceOfSatisfying(
            MessageRejectedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCodes.UNKNOWN_RECIPIENT))
        .hasMessage("no such account");
    server.settle();
    synchronized (alice.vault) {
      assertThat(alice.vault.data().outbox).isEmpty();
      assertThat(alice.vault.data().sent).isEmpty();
    }
    assertThat(alice.warnings).isEmpty(); // the caller was told; no second report
  }

  @Test
  void aFullQueue_keepsTheMessage_andTheNextConnectionResendsItsVeryEnvelope() throws Exception {
    TestClient alice = client("alice").publish().connect();
    TestClient bob = client("bob").publish().connect();
    server.refuseMessagesTo("bob", ErrorCodes.QUEUE_FULL, "the recipient's queue is full");

    assertThatThrownBy(() -> alice.send("bob", "hello"))
        .isInstanceOf(QueuedException.class)
        .hasMessageContaining("the recipient's queue is full")
        .hasMessageContaining("stays in the outbox");
    server.settle();
    WireMessage.Send refused = server.refused.get(0);
    synchronized (alice.vault) {
      assertThat(alice.vault.data().outbox).containsOnlyKeys(refused.id());
    }

    server.acceptMessagesTo("bob");
    alice.messenger().close();
    alice.connect(); // resends what is left in the outbox
    server.route("alice", alice.connection());
    server.settle();

    assertThat(bob.texts()).containsExactly("hello");
    assertThat(server.relayed.stream().filter(send -> send.to().equals("bob")))
        .singleElement()
        .satisfies(
            resent -> {
              assertThat(resent.id()).isEqualTo(refused.id());
              assertThat(resent.envelope()).isEqualTo(refused.envelope());
            });
    synchronized (alice.vault) {
      assertThat(alice.vault.data().outbox).isEmpty();
    }
  }

  @Test
  void upgradeRequired_failsTheMessage_withTheClientsAdvice_andItIsNotResentOnTheNextConnection()
      throws Exception {
    TestClient alice = client("alice").publish().connect();
    client("bob").publish().connect();
    server.refuseMessagesTo("bob", ErrorCodes.UPGRADE_REQUIRED, "bob has more than one device");

    assertThatThrownBy(() -> alice.send("bob", "hello"))
        .isInstanceOfSatisfying(
            MessageRejectedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCodes.UPGRADE_REQUIRED))
        .hasMessage(
            "the recipient (or your own account) has linked devices, which this version of"
                + " securecom cannot send to; install a securecom that speaks relay version 4");
    alice.messenger().close();
    alice.connect(); // resends what is left in the outbox
    server.route("alice", alice.connection());
    server.settle();

    assertThat(server.refused).hasSize(1);
    synchronized (alice.vault) {
      assertThat(alice.vault.data().outbox).isEmpty();
      assertThat(alice.vault.data().sent).isEmpty();
    }
  }

  @Test
  void upgradeRequired_forAMessageResentFromAnEarlierRun_warnsWithTheClientsAdvice_andDropsIt()
      throws Exception {
    TestClient alice = client("alice").publish().connect();
    client("bob").publish().connect();
    alice.send("bob", "hello");
    server.settle();
    alice.messenger().close();
    synchronized (alice.vault) { // saved, then the run ended before the server answered
      PeerTrust trust = new PeerTrust(alice.vault.data(), "alice", new SecureRandom());
      SessionRecord record = trust.sessions("bob", 1);
      String envelope =
          Bytes.base64(
              trust.encrypt(
                  "bob", record, MessagePayload.text("saved-1", "unanswered", Instant.now())));
      trust.store("bob", 1, record);
      alice.vault.data().queue(new ProfileData.Outgoing("saved-1", "bob", envelope));
      alice.vault.data().rememberSent("saved-1", "bob");
      alice.vault.save();
    }
    server.refuseMessagesTo("bob", ErrorCodes.UPGRADE_REQUIRED, "bob has more than one device");

    alice.connect();
    server.route("alice", alice.connection());
    server.settle();
    alice.messenger().close();
    alice.connect();
    server.route("alice", alice.connection());
    server.settle();

    assertThat(server.refused).extracting(WireMessage.Send::id).containsExactly("saved-1");
    assertThat(alice.warnings)
        .containsExactly(
            "your message to bob was not sent: the recipient (or your own account) has linked"
                + " devices, which this version of securecom cannot send to; install a securecom"
                + " that speaks relay version 4");
    synchronized (alice.vault) {
      assertThat(alice.vault.data().outbox).isEmpty();
    }
  }

  @Test
  void aPeerTheRegistryDoesNotKnow_isRefusedBeforeAnythingIsEncrypted() throws Exception {
    TestClient alice = client("alice").publish().connect();

    assertThatThrownBy(() -> alice.send("nobody", "hello"))
        .isInstanceOf(UnknownPeerException.class)
        .hasMessage("no user called nobody on this server");
    assertThat(server.relayed).isEmpty();
    assertThat(alice.contact("nobody")).isNull();
  }

  @Test
  void anEmptyText_isRefused_beforeAnythingIsRelayed() throws Exception {
    TestClient alice = client("alice").publish().connect();
    client("bob").publish().connect();

    assertThatThrownBy(() -> alice.send("bob", "")).isInstanceOf(IllegalArgumentException.class);
    assertThat(server.relayed).isEmpty();
  }

  @Test
  void theFirstMessage_pinsTheRegistrysIdentity_andIsSentOnANewSession() throws Exception {
    TestClient alice = client("alice").publish().connect();
    TestClient bob = client("bob").publish().connect();

    String id = alice.send("bob", "hello");
    server.settle();

    assertThat(alice.contact("bob").matches(bob.vault.data().identity.publicIdentity("bob")))
        .isTrue();
    assertThat(alice.contact("bob").verified()).isFalse();
    assertThat(alice.messenger().timings().keyExchange).isNotNull();
    assertThat(bob.texts()).containsExactly("hello");
    assertThat(alice.sent).containsEntry(id, SentState.DELIVERED);
  }

  @Test
  void batchesSubmittedBeforeTheFirstIsAnswered_allGoOut_inOrder_andEachIsAnswered()
      throws Exception {
    TestClient alice = client("alice").publish().connect();
    TestClient bob = client("bob").publish().connect();

    Messenger.Submitted first = alice.messenger().submit("bob", List.of("one", "two"));
    Messenger.Submitted second = alice.messenger().submit("bob", List.of("three"));
    List<Messenger.Outcome> answers = new ArrayList<>(second.outcomes());
    answers.addAll(0, first.outcomes());
    server.settle();

    assertThat(answers).extracting(Messenger.Outcome::failure).containsOnlyNulls().hasSize(3);
    assertThat(answers).extracting(Messenger.Outcome::encrypt).doesNotContainNull();
    assertThat(server.relayed)
        .extracting(WireMessage.Send::id)
        .containsSubsequence(answers.stream().map(Messenger.Outcome::id).toList());
    assertThat(bob.texts()).containsExactly("one", "two", "three");
    assertThat(first.answered()).isTrue();
    synchronized (alice.vault) {
      assertThat(alice.vault.data().outbox).isEmpty();
    }
  }

  @Test
  void aMessageNobodyFetched_staysSent() throws Exception {
    TestClient alice = client("alice").publish().connect();
    client("bob").publish().connect();
    server.route("bob"); // the relay keeps it

    String id = alice.send("bob", "hello");
    server.settle();

    assertThat(alice.sent).containsEntry(id, SentState.SENT);
  }

  @Test
  void aChangedRegistryKey_isReported_andTheMessageStillGoesToThePin() throws Exception {
    TestClient alice = client("alice").publish().connect();
    TestClient bob = client("bob").publish().connect();
    alice.send("bob", "hello");
    server.settle();
    client("bob").publish(); // the registry now publishes another key as bob's
    alice.messenger().close();
    alice.connect(); // a new run asks the registry again
    server.route("alice", alice.connection());

    alice.send("bob", "still for the pinned bob");
    server.settle();

    assertThat(alice.warnings)
        .anyMatch(w -> w.startsWith("The server now publishes a different identity key for bob"));
    assertThat(bob.texts()).containsExactly("hello", "still for the pinned bob");
  }

  @Test
  void anEnvelopeSavedButNeverSent_isSentOnTheNextConnection_underItsId() throws Exception {
    TestClient alice = client("alice").publish().connect();
    TestClient bob = client("bob").publish().connect();
    alice.send("bob", "hello");
    server.settle();
    alice.messenger().close();
    synchronized (
        alice.vault) { // as if the client crashed after saving the envelope, before sending it
      PeerTrust trust = new PeerTrust(alice.vault.data(), "alice", new SecureRandom());
      SessionRecord record = trust.sessions("bob", 1);
      String envelope =
          Bytes.base64(
              trust.encrypt(
                  "bob", record, MessagePayload.text("saved-1", "after the crash", Instant.now())));
      trust.store("bob", 1, record);
      alice.vault.data().queue(new ProfileData.Outgoing("saved-1", "bob", envelope));
      alice.vault.save();
    }

    alice.connect();
    server.route("alice", alice.connection());
    server.settle();

    assertThat(server.relayed).anyMatch(s -> s.id().equals("saved-1"));
    assertThat(bob.texts()).containsExactly("hello", "after the crash");
    synchronized (alice.vault) {
      assertThat(alice.vault.data().outbox).doesNotContainKey("saved-1");
    }
  }
}
