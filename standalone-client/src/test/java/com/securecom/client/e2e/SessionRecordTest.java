package com.securecom.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.DecryptionFailedException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Choosing the session for an incoming envelope: redeliveries, new initiations, simultaneous
 * starts, persistence.
 */
class SessionRecordTest {
  private final SecureRandom random = new SecureRandom();
  private final TestUser alice = new TestUser("alice", random);
  private final TestUser bob = new TestUser("bob", random);
  private final SessionRecord aliceRecord = new SessionRecord();
  private final SessionRecord bobRecord = new SessionRecord();
  private final AtomicInteger lookups = new AtomicInteger();
  private int nextId;

  private SessionRecord.SenderIdentity identityOf(TestUser user) {
    return header -> {
      lookups.incrementAndGet();
      return user.publicIdentity();
    };
  }

  private static String body(SessionRecord.Decrypted decrypted) {
    return ((MessagePayload.Text) decrypted.payload()).body();
  }

  private MessagePayload.Text payload(String body) {
    return MessagePayload.text("msg-" + nextId++, body, Instant.parse("2025-01-01T12:00:00Z"));
  }

  /** Sends {@code body} and returns the relay id and envelope. */
  private Sent send(SessionRecord from, String body) {
    MessagePayload m = payload(body);
    PeerIdentity peer = from == aliceRecord ? bob.publicIdentity() : alice.publicIdentity();
    return new Sent(m.id(), from.encrypt(peer, m), body);
  }

  private record Sent(String id, byte[] envelope, String body) {}

  private void deliverToBob(Sent s) throws Exception {
    assertThat(body(bobRecord.decrypt(s.envelope(), s.id(), bob.local(), identityOf(alice), null)))
        .isEqualTo(s.body());
  }

  private void deliverToAlice(Sent s) throws Exception {
    assertThat(
            body(aliceRecord.decrypt(s.envelope(), s.id(), alice.local(), identityOf(bob), null)))
        .isEqualTo(s.body());
  }

  @Test
  void conversation_throughRecords() throws Exception {
    assertThatThrownBy(() -> aliceRecord.encrypt(bob.publicIdentity(), payload("no session")))
        .isInstanceOf(IllegalStateException.class);
    aliceRecord.initiate(alice.local(), bob.bundle(true));
    deliverToBob(send(aliceRecord, "hello"));
    deliverToAlice(send(bobRecord, "hi"));
    deliverToBob(send(aliceRecord, "how are you"));
    assertThat(lookups)
        .hasValue(1); // only the PreKey message that started Bob's session needed Alice's identity
    assertThat(aliceRecord.current().orElseThrow().safetyNumber())
        .isEqualTo(bobRecord.current().orElseThrow().safetyNumber());
  }

  @Test
  void redeliveredPreKeyMessage_isADuplicate() throws Exception {
    aliceRecord.initiate(alice.local(), bob.bundle(true));
    Sent first = send(aliceRecord, "hello");
    deliverToBob(first);

    assertThatThrownBy(
            () ->
                bobRecord.decrypt(
                    first.envelope(), first.id(), bob.local(), identityOf(alice), null))
        .isInstanceOf(DuplicateMessageException.class);
    assertThat(lookups).hasValue(1);
  }

  @Test
  void relayIdSwap_isRefused() throws Exception {
    aliceRecord.initiate(alice.local(), bob.bundle(true));
    Sent a = send(aliceRecord, "a");
    Sent b = send(aliceRecord, "b");
    assertThatThrownBy(
            () -> bobRecord.decrypt(a.envelope(), b.id(), bob.local(), identityOf(alice), null))
        .isInstanceOf(DecryptionFailedException.class);
    assertThat(bob.preKeys.oneTime).hasSize(1); // nothing was consumed by the refused message
    deliverToBob(b);
    deliverToBob(a);
  }

  @Test
  void senderWithAnotherIdentity_isRefused() throws Exception {
    aliceRecord.initiate(alice.local(), bob.bundle(true));
    Sent first = send(aliceRecord, "hello");
    TestUser mallory = new TestUser("alice", random);
    assertThatThrownBy(
            () ->
                bobRecord.decrypt(
                    first.envelope(), first.id(), bob.local(), identityOf(mallory), null))
        .isInstanceOf(DecryptionFailedException.class);
    assertThat(bobRecord.current()).isEmpty();
  }

  @Test
  void simultaneousInitiation_convergesOnOneSession() throws Exception {
    aliceRecord.initiate(alice.local(), bob.bundle(true));
    bobRecord.initiate(bob.local(), alice.bundle(true));
    Sent a1 = send(aliceRecord, "a1");
    Sent b1 = send(bobRecord, "b1");
    deliverToAlice(b1);
    deliverToBob(a1);
    Sent a2 = send(aliceRecord, "a2");
    Sent b2 = send(bobRecord, "b2");
    deliverToAlice(b2);
    deliverToBob(a2);
    // Now one side speaks first and the other answers.
    deliverToBob(send(aliceRecord, "a3"));
    deliverToAlice(send(bobRecord, "b3"));
    deliverToBob(send(aliceRecord, "a4"));

    SessionState a = aliceRecord.current().orElseThrow().state();
    SessionState b = bobRecord.current().orElseThrow().state();
    assertThat(a.preKeyHeader().sameAs(b.preKeyHeader())).isTrue();
    assertThat(a.role()).isNotEqualTo(b.role());
  }

  @Test
  void peerStartingANewSession_itBecomesCurrent_andMessagesInFlightStillDecrypt() throws Exception {
    aliceRecord.initiate(alice.local(), bob.bundle(true));
    deliverToBob(send(aliceRecord, "hello"));
    deliverToAlice(send(bobRecord, "hi"));
    Sent aliceInFlight = send(aliceRecord, "sent on the old session");

    aliceRecord.initiate(alice.local(), bob.bundle(true)); // e.g. the user reset the session
    Sent restart = send(aliceRecord, "sent on the new session");
    Sent bobInFlight = send(bobRecord, "sent before Bob heard of the new session");
    // The relay delivers each sender's messages in the order they were sent.
    deliverToBob(aliceInFlight);
    deliverToBob(restart);
    deliverToAlice(bobInFlight); // the old session is kept for late messages
    deliverToAlice(send(bobRecord, "reply on the new session"));

    assertThat(
            bobRecord
                .current()
                .orElseThrow()
                .state()
                .preKeyHeader()
                .sameAs(aliceRecord.current().orElseThrow().state().preKeyHeader()))
        .isTrue();
  }

  @Test
  void peerThatLostItsSessions_canStartAgain() throws Exception {
    aliceRecord.initiate(alice.local(), bob.bundle(true));
    deliverToBob(send(aliceRecord, "hello"));
    deliverToAlice(send(bobRecord, "hi"));

    SessionRecord aliceAfresh = new SessionRecord(); // same identity, sessions lost
    aliceAfresh.initiate(alice.local(), bob.bundle(false));
    MessagePayload restart = payload("new session");
    assertThat(
            bobRecord
                .decrypt(
                    aliceAfresh.encrypt(bob.publicIdentity(), restart),
                    restart.id(),
                    bob.local(),
                    identityOf(alice),
                    null)
                .payload())
        .isEqualTo(restart);
    MessagePayload reply = payload("reply");
    assertThat(
            aliceAfresh
                .decrypt(
                    bobRecord.encrypt(alice.publicIdentity(), reply),
                    reply.id(),
                    alice.local(),
                    identityOf(bob),
                    null)
                .payload())
        .isEqualTo(reply);
  }

  @Test
  void olderSessions_areBounded() throws Exception {
    for (int i = 0; i < SessionRecord.MAX_PREVIOUS_SESSIONS + 3; i++) {
      SessionRecord fresh = new SessionRecord();
      fresh.initiate(alice.local(), bob.bundle(false));
      MessagePayload m = payload("session " + i);
      bobRecord.decrypt(
          fresh.encrypt(bob.publicIdentity(), m), m.id(), bob.local(), identityOf(alice), null);
    }
    SessionRecord restored = SessionRecord.fromBytes(bobRecord.toBytes(), random);
    assertThat(restored.toBytes()).isEqualTo(bobRecord.toBytes());
    assertThat(
            new String(restored.toBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .split("\"role\"", -1))
        .hasSize(2 + SessionRecord.MAX_PREVIOUS_SESSIONS);
  }

  @Test
  void record_roundTripsThroughBytes() throws Exception {
    aliceRecord.initiate(alice.local(), bob.bundle(true));
    deliverToBob(send(aliceRecord, "hello"));
    Sent pending = send(bobRecord, "pending");

    SessionRecord aliceRestored = SessionRecord.fromBytes(aliceRecord.toBytes(), random);
    assertThat(
            body(
                aliceRestored.decrypt(
                    pending.envelope(), pending.id(), alice.local(), identityOf(bob), null)))
        .isEqualTo("pending");
    assertThatThrownBy(() -> SessionRecord.fromBytes("{\"version\":1}".getBytes(), random))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> SessionRecord.fromBytes("{\"version\":1,\"sessions\":[{}]}".getBytes(), random))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sending_usesOnlyASessionWithThePinnedIdentity() throws Exception {
    TestUser mallory = new TestUser("alice", random);
    SessionRecord malloryRecord = new SessionRecord();
    malloryRecord.initiate(mallory.local(), bob.bundle(true));
    MessagePayload fromMallory = payload("I am alice");
    bobRecord.decrypt(
        malloryRecord.encrypt(bob.publicIdentity(), fromMallory),
        fromMallory.id(),
        bob.local(),
        identityOf(mallory),
        alice.publicIdentity());

    assertThat(bobRecord.current().orElseThrow().isWith(mallory.publicIdentity())).isTrue();
    assertThat(bobRecord.currentWith(alice.publicIdentity())).isEmpty();
    assertThatThrownBy(() -> bobRecord.encrypt(alice.publicIdentity(), payload("for alice only")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void sessionsUnderOtherIdentities_neverPushOutThePinnedOne() throws Exception {
    aliceRecord.initiate(alice.local(), bob.bundle(true));
    deliverToBob(send(aliceRecord, "hello"));
    for (int i = 0; i < SessionRecord.MAX_SESSIONS + 2; i++) {
      TestUser impostor = new TestUser("alice", random);
      SessionRecord fresh = new SessionRecord();
      fresh.initiate(impostor.local(), bob.bundle(false));
      MessagePayload m = payload("impostor " + i);
      bobRecord.decrypt(
          fresh.encrypt(bob.publicIdentity(), m),
          m.id(),
          bob.local(),
          identityOf(impostor),
          alice.publicIdentity());
    }
    assertThat(bobRecord.size()).isEqualTo(SessionRecord.MAX_SESSIONS);
    assertThat(bobRecord.currentWith(alice.publicIdentity())).isPresent();
    deliverToAlice(send(bobRecord, "still reaches the real alice"));

    bobRecord.retainOnlyWith(alice.publicIdentity());
    assertThat(bobRecord.size()).isEqualTo(1);
  }

  @Test
  void aLateMessageWhoseKeyWasEvicted_isLate_notADuplicate() throws Exception {
    aliceRecord.initiate(alice.local(), bob.bundle(true));
    deliverToBob(send(aliceRecord, "hello"));
    deliverToAlice(send(bobRecord, "hi"));
    Sent late = send(aliceRecord, "the one that arrives last");
    // Bob skips past it and then past 2000 more keys in further chains, so its key is evicted.
    int skippedSoFar = 1;
    while (skippedSoFar <= SessionState.MAX_SKIPPED_KEYS) {
      for (int i = 0; i < SessionState.MAX_SKIP - 1; i++) {
        send(aliceRecord, "lost " + i);
      }
      deliverToBob(send(aliceRecord, "arrives"));
      deliverToAlice(send(bobRecord, "answer"));
      skippedSoFar += SessionState.MAX_SKIP - 1;
    }
    assertThat(bobRecord.current().orElseThrow().state().evictedCount()).isPositive();
    byte[] before = bobRecord.toBytes();

    assertThatThrownBy(
            () ->
                bobRecord.decrypt(late.envelope(), late.id(), bob.local(), identityOf(alice), null))
        .isInstanceOf(LateMessageException.class);
    assertThat(bobRecord.toBytes()).isEqualTo(before);
    assertThat(
            SessionRecord.fromBytes(before, random).current().orElseThrow().state().evictedCount())
        .isEqualTo(bobRecord.current().orElseThrow().state().evictedCount());
  }
}
