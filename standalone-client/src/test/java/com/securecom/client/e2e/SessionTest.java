package com.securecom.client.e2e;

import static com.securecom.client.e2e.Pair.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.DecryptionFailedException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Double Ratchet session: ordering, bounds, duplicates, payload ids and persistence. */
class SessionTest {
  private final Pair p;

  SessionTest() throws Exception {
    p = new Pair();
  }

  private static List<byte[]> send(Session from, String prefix, int count) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(from.encrypt(utf8(prefix + i)));
    }
    return out;
  }

  @Test
  void initiator_sendsPreKeyMessagesUntilItHearsBack() throws Exception {
    byte[] second = p.alice.encrypt(utf8("second"));
    assertThat(p.first[1]).isEqualTo(Envelope.TYPE_PREKEY);
    assertThat(second[1]).isEqualTo(Envelope.TYPE_PREKEY);
    assertThat(p.bob.decrypt(second)).isEqualTo(utf8("second"));

    byte[] reply = p.bob.encrypt(utf8("reply"));
    assertThat(reply[1]).isEqualTo(Envelope.TYPE_NORMAL);
    assertThat(p.alice.decrypt(reply)).isEqualTo(utf8("reply"));
    assertThat(p.alice.state().awaitingReply()).isFalse();

    byte[] third = p.alice.encrypt(utf8("third"));
    assertThat(third[1]).isEqualTo(Envelope.TYPE_NORMAL);
    assertThat(p.bob.decrypt(third)).isEqualTo(utf8("third"));
  }

  @Test
  void outOfOrderWithinTheWindow_decrypts() throws Exception {
    List<byte[]> messages = send(p.alice, "m", 200);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(1));
    for (int i : order) {
      assertThat(p.bob.decrypt(messages.get(i))).isEqualTo(utf8("m" + i));
    }
    assertThat(p.bob.state().skippedKeyCount()).isZero();
  }

  @Test
  void outOfOrderAcrossRatchetSteps_decrypts() throws Exception {
    List<byte[]> chain1 = send(p.alice, "a", 5);
    p.alice.decrypt(p.bob.encrypt(utf8("turn")));
    List<byte[]> chain2 = send(p.alice, "b", 5);
    p.alice.decrypt(
        p.bob.encrypt(utf8("turn again"))); // Bob's second message in the same chain: no new key
    List<byte[]> chain2More = send(p.alice, "c", 2);

    for (int i = 1; i >= 0; i--) {
      assertThat(p.bob.decrypt(chain2More.get(i))).isEqualTo(utf8("c" + i));
    }
    for (int i = 4; i >= 0; i--) {
      assertThat(p.bob.decrypt(chain2.get(i))).isEqualTo(utf8("b" + i));
      assertThat(p.bob.decrypt(chain1.get(i))).isEqualTo(utf8("a" + i));
    }
    assertThat(p.bob.state().skippedKeyCount()).isZero();
  }

  @Test
  void headerSkippingMoreThanMaxSkip_isRefused() throws Exception {
    List<byte[]> messages = send(p.alice, "m", SessionState.MAX_SKIP + 2); // counters 1 .. 1002
    byte[] before = p.bob.toBytes();

    assertThatThrownBy(() -> p.bob.decrypt(messages.get(SessionState.MAX_SKIP + 1)))
        .isInstanceOf(DecryptionFailedException.class);
    assertThat(p.bob.toBytes()).isEqualTo(before);

    assertThat(p.bob.decrypt(messages.get(SessionState.MAX_SKIP)))
        .isEqualTo(utf8("m" + SessionState.MAX_SKIP));
    assertThat(p.bob.state().skippedKeyCount()).isEqualTo(SessionState.MAX_SKIP);
    assertThat(p.bob.decrypt(messages.get(SessionState.MAX_SKIP + 1))).isNotNull();
    assertThat(p.bob.decrypt(messages.get(500))).isEqualTo(utf8("m500"));
  }

  @Test
  void firstMessageSkippingMoreThanMaxSkip_isRefused() throws Exception {
    TestUser alice = new TestUser("alice", p.random);
    TestUser bob = new TestUser("bob", p.random);
    Session a = Session.initiate(alice.identity, "alice", bob.bundle(true), p.random);
    List<byte[]> messages = send(a, "m", SessionState.MAX_SKIP + 2);

    assertThatThrownBy(
            () ->
                Session.accept(
                    bob.identity,
                    "bob",
                    alice.publicIdentity(),
                    messages.get(SessionState.MAX_SKIP + 1),
                    bob.preKeys,
                    p.random))
        .isInstanceOf(DecryptionFailedException.class);
    Session b =
        Session.accept(
                bob.identity,
                "bob",
                alice.publicIdentity(),
                messages.get(SessionState.MAX_SKIP),
                bob.preKeys,
                p.random)
            .session();
    assertThat(b.decrypt(messages.get(0))).isEqualTo(utf8("m0"));
  }

  @Test
  void skippedKeys_areCappedOldestFirst() throws Exception {
    List<List<byte[]>> chains = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      int count = round < 2 ? SessionState.MAX_SKIP + 1 : 11;
      List<byte[]> chain = send(p.alice, "r" + round + "-", count);
      chains.add(chain);
      p.bob.decrypt(chain.get(count - 1));
      p.alice.decrypt(p.bob.encrypt(utf8("next round")));
    }
    // Round 0 skipped counters 1..1000 of Alice's first chain (0 was "first"), round 1 counters
    // 0..999 of her
    // second, round 2 ten more: the ten oldest were evicted.
    assertThat(p.bob.state().skippedKeyCount()).isEqualTo(SessionState.MAX_SKIPPED_KEYS);

    // Evicted keys are gone: those messages cannot be read any more, and are reported as late, not
    // as duplicates.
    assertThat(p.bob.state().evictedCount()).isEqualTo(10);
    for (int i = 0; i < 10; i++) {
      byte[] evicted = chains.get(0).get(i);
      assertThatThrownBy(() -> p.bob.decrypt(evicted)).isInstanceOf(LateMessageException.class);
    }
    assertThat(p.bob.decrypt(chains.get(0).get(10))).isEqualTo(utf8("r0-10"));
    assertThat(p.bob.decrypt(chains.get(1).get(0))).isEqualTo(utf8("r1-0"));
    assertThat(p.bob.decrypt(chains.get(2).get(0))).isEqualTo(utf8("r2-0"));
  }

  @Test
  void repeatedMessages_areDuplicates_andChangeNothing() throws Exception {
    // A PreKey message delivered again to the session it started.
    assertThatThrownBy(() -> p.bob.decrypt(p.first)).isInstanceOf(DuplicateMessageException.class);

    List<byte[]> messages = send(p.alice, "m", 3);
    p.bob.decrypt(messages.get(2));
    p.bob.decrypt(messages.get(0));
    byte[] before = p.bob.toBytes();
    assertThatThrownBy(() -> p.bob.decrypt(messages.get(2)))
        .isInstanceOf(DuplicateMessageException.class)
        .hasMessage("duplicate message");
    assertThatThrownBy(() -> p.bob.decrypt(messages.get(0)))
        .isInstanceOf(DuplicateMessageException.class);
    assertThat(p.bob.toBytes()).isEqualTo(before);

    // After ratchet steps, a message of an earlier chain.
    p.alice.decrypt(p.bob.encrypt(utf8("turn")));
    p.bob.decrypt(p.alice.encrypt(utf8("new chain")));
    assertThatThrownBy(() -> p.bob.decrypt(messages.get(2)))
        .isInstanceOf(DuplicateMessageException.class);
    assertThat(p.bob.decrypt(messages.get(1))).isEqualTo(utf8("m1"));
    assertThatThrownBy(() -> p.bob.decrypt(messages.get(1)))
        .isInstanceOf(DuplicateMessageException.class);
  }

  @Test
  void reflectedMessage_isRefused() {
    byte[] mine = p.alice.encrypt(utf8("to bob"));
    assertThatThrownBy(() -> p.alice.decrypt(mine)).isInstanceOf(DecryptionFailedException.class);
    byte[] bobs = p.bob.encrypt(utf8("to alice"));
    assertThatThrownBy(() -> p.bob.decrypt(bobs)).isInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void payloadUnderAnotherRelayId_isRefused_andTheSessionIsUnchanged() throws Exception {
    MessagePayload payload =
        MessagePayload.text("id-1", "hello", Instant.parse("2025-01-01T12:00:00Z"));
    byte[] envelope = p.alice.encrypt(payload);
    byte[] before = p.bob.toBytes();

    assertThatThrownBy(() -> p.bob.decrypt(envelope, "id-2"))
        .isInstanceOf(DecryptionFailedException.class);
    assertThat(p.bob.toBytes()).isEqualTo(before);
    assertThat(p.bob.decrypt(envelope, "id-1")).isEqualTo(payload);

    byte[] notJson = p.alice.encrypt(utf8("not a payload"));
    assertThatThrownBy(() -> p.bob.decrypt(notJson, "id-3"))
        .isInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void serialization_roundTripsMidConversation() throws Exception {
    List<byte[]> toBob = send(p.alice, "a", 6);
    p.bob.decrypt(toBob.get(5)); // keys 1..4 skipped, pending
    List<byte[]> toAlice = send(p.bob, "b", 4);
    p.alice.decrypt(toAlice.get(3));

    byte[] aliceBytes = p.alice.toBytes();
    byte[] bobBytes = p.bob.toBytes();
    Session alice = Session.fromBytes(aliceBytes, p.random);
    Session bob = Session.fromBytes(bobBytes, p.random);
    assertThat(alice.toBytes()).isEqualTo(aliceBytes);
    assertThat(bob.toBytes()).isEqualTo(bobBytes);
    assertThat(SessionState.fromBytes(bobBytes).toBytes()).isEqualTo(bobBytes);
    assertThat(bob.peerName()).isEqualTo("alice");
    assertThat(bob.peerIdentityKey()).isEqualTo(p.aliceUser.identity.identityKey());
    assertThat(new String(bobBytes, StandardCharsets.UTF_8))
        .contains("\"version\":1", "\"role\":\"responder\"");
    SessionState state = SessionState.fromBytes(bobBytes);
    assertThat(state.toString()).doesNotContain(Bytes.base64(state.rootKey)).contains("REDACTED");

    for (int i = 1; i <= 4; i++) {
      assertThat(bob.decrypt(toBob.get(i))).isEqualTo(utf8("a" + i));
    }
    for (int i = 0; i < 3; i++) {
      assertThat(alice.decrypt(toAlice.get(i))).isEqualTo(utf8("b" + i));
    }
    assertThat(bob.decrypt(alice.encrypt(utf8("after")))).isEqualTo(utf8("after"));
    assertThat(alice.decrypt(bob.encrypt(utf8("restore")))).isEqualTo(utf8("restore"));
    // The originals go on too (both copies share the same keys; a real client keeps only one of
    // them).
    assertThatThrownBy(() -> p.bob.decrypt(toBob.get(5)))
        .isInstanceOf(DuplicateMessageException.class);
  }

  @Test
  void malformedState_isRefused() {
    byte[] good = p.bob.toBytes();
    String json = new String(good, StandardCharsets.UTF_8);
    List<String> bad =
        List.of(
            "",
            "not json",
            "[]",
            "{}",
            json.substring(0, json.length() / 2),
            json.replace("\"version\":1", "\"version\":2"),
            json.replace("\"role\":\"responder\"", "\"role\":\"x\""),
            json.replace("\"sendCounter\":", "\"sendCounter\":-1,\"x\":"),
            json.replaceFirst("\"rootKey\":\"[^\"]*\"", "\"rootKey\":\"AAAA\""),
            json.replaceFirst(
                "\"sendingRatchetPublicKey\":\"[^\"]*\"",
                "\"sendingRatchetPublicKey\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\""));
    for (String s : bad) {
      assertThatThrownBy(() -> Session.fromBytes(s.getBytes(StandardCharsets.UTF_8), p.random))
          .as(s.length() > 40 ? s.substring(0, 40) : s)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void safetyNumbers_areTheSameOnBothSides() {
    assertThat(p.alice.safetyNumber()).isEqualTo(p.bob.safetyNumber());
    assertThat(p.alice.safetyNumber().digits()).hasSize(60).containsOnlyDigits();
  }
}
