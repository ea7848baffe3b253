package com.securecom.client.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.client.e2e.MessagePayload;
import com.securecom.client.e2e.SessionRecord;
import com.securecom.client.net.ApiException;
import com.securecom.client.net.ServerApi;
import com.securecom.client.net.ServerUnreachableException;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.wire.WireMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real clients against a server in the attacker's hands (docs/protocol.md, "Identities and pins",
 * "Failures and what a client does", "Receipts"): whatever the server publishes, routes or
 * rewrites, a client never encrypts to an identity it did not pin, never shows a forged message as
 * its contact's, and never loses a message silently.
 */
class HostileServerTest extends AgainstHostileServer {
  private static Accounts accounts() {
    return new Accounts(
        new ServerApi(URI.create("https://hostile.example")),
        new SecureRandom(),
        Clock.systemUTC());
  }

  /**
   * Issue 9, item 1, exactly: the registry serves Mallory's keys as "alice" first and the real
   * Alice's later.
   */
  @Test
  void verifiedContact_cannotBeReadByTheServer_afterItServedAnImpostorFirst() throws Exception {
    TestClient bob = client("bob").publish().connect();
    TestClient mallory =
        client("alice").publish().connect(); // the registry publishes Mallory's keys as alice
    TestClient alice = client("alice").connect();
    server.route("alice", mallory.connection());

    bob.send("alice", "hi alice");
    server.settle();
    assertThat(mallory.texts())
        .containsExactly("hi alice"); // the impostor phase: Bob pinned Mallory's key

    alice.publish(); // now the real Alice's keys
    server.route(
        "alice",
        alice.connection(),
        mallory.connection()); // and Mallory keeps a copy of everything
    alice.send("bob", "it's the real alice");
    server.settle();
    assertThat(bob.received)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.text()).isEqualTo("it's the real alice");
              assertThat(r.unconfirmed()).isTrue();
            });
    assertThat(bob.warnings).anyMatch(w -> w.contains("came from a NEW identity key"));
    assertThatThrownBy(() -> bob.send("alice", "blocked until Bob decides"))
        .isInstanceOf(UntrustedIdentityException.class);

    // Bob and Alice compare the (real) safety number; Bob verifies it.
    assertThat(accounts().pendingSafetyNumber(bob.vault, "alice")).isPresent();
    accounts().verify(bob.vault, "alice");
    assertThat(bob.contact("alice").verified()).isTrue();
    assertThat(
            bob.contact("alice")
                .identity()
                .sameKeysAs(alice.vault.data().identity.publicIdentity("alice")))
        .isTrue();

    // Mallory sends on her old session: refused, reported, never shown as alice's.
    mallory.send("bob", "mallory speaking as alice");
    server.settle();
    assertThat(bob.texts()).doesNotContain("mallory speaking as alice");
    assertThat(bob.warnings).anyMatch(w -> w.equals("a message from alice could not be decrypted"));

    // Bob's next message is readable by Alice, and not by Mallory, who gets a copy of the envelope.
    bob.send("alice", "for the real alice only");
    server.settle();
    assertThat(alice.texts()).contains("for the real alice only");
    assertThat(mallory.texts()).doesNotContain("for the real alice only");
    assertThat(mallory.warnings)
        .anyMatch(w -> w.equals("a message from bob could not be decrypted"));
  }

  /** Item 2: a tampered first message and a registry change move nothing. */
  @Test
  void tamperedFirstMessagePlusRegistryChange_leavesPinVerificationAndSessionsAsTheyWere()
      throws Exception {
    TestClient alice = client("alice").publish().connect();
    TestClient bob = client("bob").publish().connect();
    alice.send("bob", "hello");
    server.settle();
    bob.send("alice", "hi");
    server.settle();
    accounts().verify(bob.vault, "alice");
    Contact before = bob.contact("alice");
    byte[] sessionsBefore = bob.storedSessions("alice");

    TestClient mallory =
        client("alice").publish().connect(); // the registry now says alice is Mallory
    server.route("alice", alice.connection());
    server.rewriteEnvelopesFrom("alice", e -> flipLastBit(e));
    mallory.send("bob", "tampered first message");
    server.settle();
    server.rewriteEnvelopesFrom(null, e -> e);

    assertThat(bob.texts()).doesNotContain("tampered first message");
    assertThat(bob.contact("alice")).isEqualTo(before);
    assertThat(bob.contact("alice").pending()).isNull();
    assertThat(bob.contact("alice").verified()).isTrue();
    assertThat(sessionStarts(bob.storedSessions("alice"))).isEqualTo(sessionStarts(sessionsBefore));
    String id = bob.send("alice", "still to the verified alice");
    server.settle();
    assertThat(alice.texts()).contains("still to the verified alice");
    assertThat(bob.sent).containsEntry(id, SentState.DELIVERED);
  }

  /** Item 3: a transient registry failure never drops or acknowledges a valid first message. */
  @Test
  void firstMessageWhileTheRegistryFails_staysUnacknowledged_andIsReadWhenDeliveredAgain()
      throws Exception {
    TestClient bob = client("bob").publish().connect();
    List<RuntimeException> failures =
        List.of(
            new ApiException(503, "unavailable", "down"),
            new ApiException(429, "rate_limited", "slow down"),
            new ApiException(401, "unauthorized", "expired"),
            new ServerUnreachableException("no route", null));
    for (int i = 0; i < failures.size(); i++) {
      WireMessage.Send first =
          captureFirstMessage(client("carol" + i).publish().connect(), "bob", "hello " + i);
      server.failIdentityLookups(failures.get(i));
      server.inject("bob", "carol" + i, first.id(), first.envelope());
      server.settle();
      assertThat(server.acks)
          .as("acknowledged despite %s", failures.get(i))
          .doesNotContain("bob/" + first.id());
      assertThat(bob.texts()).doesNotContain("hello " + i);
      assertThat(bob.warnings.get(bob.warnings.size() - 1))
          .contains("delivered again on the next connection");

      server.failIdentityLookups(null);
      server.inject(
          "bob", "carol" + i, first.id(), first.envelope()); // the relay delivers it again
      server.settle();
      assertThat(server.acks).contains("bob/" + first.id());
      assertThat(bob.texts()).contains("hello " + i);
    }
  }

  /** The envelope {@code from} sends to {@code to}, captured by the server and not delivered. */
  private WireMessage.Send captureFirstMessage(TestClient from, String to, String text)
      throws Exception {
    server.route(to); // nobody receives it now
    from.send(to, text);
    server.settle();
    WireMessage.Send captured = server.relayed.get(server.relayed.size() - 1);
    server.route(
        to,
        clients.stream()
            .filter(c -> c.relayName.equals(to))
            .findFirst()
            .orElseThrow()
            .connection());
    return captured;
  }

  /**
   * Item 7 and receipts: "delivered" means the recipient's client decrypted it, not that the relay
   * handed it over.
   */
  @Test
  void aMessageTheRecipientCannotDecrypt_isReportedUndecryptable_onceAndNeverDelivered()
      throws Exception {
    TestClient alice = client("alice").publish().connect();
    TestClient bob = client("bob").publish().connect();
    String hello = alice.send("bob", "hello");
    server.settle();
    assertThat(alice.sent).containsEntry(hello, SentState.DELIVERED);
    bob.send("alice", "hi");
    server.settle();

    server.rewriteEnvelopesFrom("alice", e -> flipLastBit(e));
    String broken = alice.send("bob", "this one is garbled in transit");
    String brokenToo = alice.send("bob", "and this one");
    server.settle();
    server.rewriteEnvelopesFrom(null, e -> e);

    assertThat(server.acks)
        .contains("bob/" + broken, "bob/" + brokenToo); // nothing is redelivered forever
    assertThat(bob.texts()).doesNotContain("this one is garbled in transit", "and this one");
    assertThat(alice.sent).containsEntry(broken, SentState.UNDECRYPTABLE);
    assertThat(alice.sent)
        .as("one notice per peer until a message decrypts again")
        .containsEntry(brokenToo, SentState.REACHED);

    String after = alice.send("bob", "readable again");
    server.settle();
    assertThat(bob.texts()).contains("readable again");
    assertThat(alice.sent).containsEntry(after, SentState.DELIVERED);
  }

  /**
   * Relay version 3 (docs/protocol.md, "Sending"): a message its recipient acknowledged on the fast
   * path is answered with one {@code relayed} and no {@code accepted}. It must end the send (out of
   * the outbox, nothing resent on the next connection) and owe no {@code receiptAck}, while a
   * {@code delivered} still gets one.
   */
  @Test
  void aRelayedAnswer_endsTheSend_andIsNotAnswered_whereADeliveredIs() throws Exception {
    TestClient alice = client("alice").publish().connect();
    TestClient bob = client("bob").publish().connect();
    String stored = alice.send("bob", "stored first");
    server.settle();
    assertThat(server.receiptAcks).as("a delivered is answered").contains("alice/" + stored);

    server.answerOnTheFastPath(true);
    server.receiptAcks.clear();
    String fast = alice.send("bob", "on the fast path");
    server.settle();

    assertThat(bob.texts()).containsExactly("stored first", "on the fast path");
    assertThat(alice.sent).containsEntry(fast, SentState.DELIVERED);
    synchronized (alice.vault) {
      assertThat(alice.vault.data().outbox).as("every send ended").isEmpty();
    }
    assertThat(server.receiptAcks).as("no relayed is answered").isEmpty();
  }

  /**
   * Item 4: a genuine message whose skipped key was evicted is reported as late, not dropped as a
   * duplicate.
   */
  @Test
  void aMessageWhoseKeyWasEvicted_isReportedLate_andTheSenderIsTold() throws Exception {
    TestClient alice = client("alice").publish().connect();
    TestClient bob = client("bob").publish().connect();
    alice.send("bob", "hello");
    server.settle();
    bob.send("alice", "hi");
    server.settle();

    // Alice's client writes the late message and 3,000 more; the relay loses all but one per chain
    // step, so Bob
    // skips (and, past 2,000, evicts) the keys of the lost ones, the late message's first.
    server.route("bob"); // held back by the relay
    String lateId = alice.send("bob", "this one arrives last");
    server.route("bob", bob.connection());
    WireMessage.Send late =
        server.relayed.stream().filter(m -> m.id().equals(lateId)).findFirst().orElseThrow();
    server.acks.clear();
    PeerTrust trust = new PeerTrust(alice.vault.data(), "alice", new SecureRandom());
    for (int step = 0; step < 3; step++) {
      String delivered = null;
      String envelope = null;
      synchronized (alice.vault) {
        SessionRecord record = trust.sessions("bob", 1);
        for (int i = 0; i < 999; i++) {
          delivered = "skip-" + step + "-" + i;
          envelope =
              Bytes.base64(
                  record.encrypt(
                      trust.pin("bob"), MessagePayload.text(delivered, "lost", Instant.now())));
        }
        trust.store("bob", 1, record);
        alice.vault.save();
      }
      server.inject("bob", "alice", delivered, envelope);
      server.settle();
      bob.send("alice", "answer " + step); // Alice's next messages are on a new chain
      server.settle();
    }
    server.inject("bob", "alice", late.id(), late.envelope());
    server.settle();

    assertThat(bob.texts()).doesNotContain("this one arrives last");
    assertThat(bob.warnings)
        .contains("a message from alice arrived too late to be read (its key had been discarded)");
    assertThat(server.acks).contains("bob/" + lateId);
    assertThat(alice.sent).containsEntry(lateId, SentState.UNDECRYPTABLE);
  }

  /**
   * Finding 5 of issue 10: a signed prekey signed as in protocol v1 is replaced, signed over id and
   * time.
   */
  @Test
  void aSignedPreKeySignedAsInVersion1_isReplacedOnConnect() throws Exception {
    TestClient carol = client("carol");
    synchronized (carol.vault) {
      ProfileData data = carol.vault.data();
      ProfileData.SignedPreKeyEntry old = data.currentSignedPreKey();
      byte[] version1 =
          com.securecom.protocol.crypto.Ed25519.sign(
              data.identity.signingKeyPair().privateKey(), old.keyPair().publicKey());
      data.signedPreKeys.put(
          old.keyId(),
          new ProfileData.SignedPreKeyEntry(old.keyId(), old.keyPair(), version1, old.createdAt()));
      carol.vault.save();
    }
    carol.connect();
    assertThat(server.rotatedSignedPreKeys)
        .singleElement()
        .satisfies(
            spk -> {
              assertThat(spk.getJsonNumber("createdAt").longValueExact()).isPositive();
              assertThat(
                      com.securecom.protocol.crypto.KeySignatures.isSignedPreKey(
                          carol.vault.data().identity.identityKey(),
                          spk.getJsonNumber("keyId").longValueExact(),
                          spk.getJsonNumber("createdAt").longValueExact(),
                          Bytes.fromBase64(spk.getString("publicKey")),
                          Bytes.fromBase64(spk.getString("signature"))))
                  .isTrue();
            });
    carol.messenger().close();
    carol.connect(); // nothing to replace now
    assertThat(server.rotatedSignedPreKeys).hasSize(1);
  }

  @Test
  void readReceipts_areSentOnlyWhenTheUserTurnedThemOn() throws Exception {
    TestClient alice = client("alice").publish().connect();
    TestClient bob = client("bob").publish().connect();
    String first = alice.send("bob", "first");
    server.settle();
    assertThat(alice.sent).containsEntry(first, SentState.DELIVERED);

    bob.messenger().sendReadReceipts(true);
    String second = alice.send("bob", "second");
    server.settle();
    assertThat(alice.sent).containsEntry(second, SentState.READ);
  }

  @Test
  void receiptsForMessagesSentToSomeoneElse_orForged_moveNothing() throws Exception {
    TestClient alice = client("alice").publish().connect();
    TestClient bob = client("bob").publish().connect();
    TestClient carol = client("carol").publish().connect();
    server.route("carol"); // Carol never receives: her message stays "sent"
    String toCarol = alice.send("carol", "for carol");
    server.settle();
    server.route("carol", carol.connection());
    assertThat(alice.sent).doesNotContainEntry(toCarol, SentState.DELIVERED);

    alice.send("bob", "hello");
    server.settle();
    // Bob's client is hostile too: a valid receipt, in his session with Alice, naming Alice's
    // message to Carol.
    String receiptId = "forged-receipt";
    String envelope;
    synchronized (bob.vault) {
      PeerTrust trust = new PeerTrust(bob.vault.data(), "bob", new SecureRandom());
      SessionRecord record = trust.sessions("alice", 1);
      envelope =
          Bytes.base64(
              record.encrypt(
                  trust.pin("alice"),
                  new MessagePayload.Receipt(
                      receiptId, Instant.now(), MessagePayload.Kind.READ, List.of(toCarol))));
      trust.store("alice", 1, record);
    }
    server.inject("alice", "bob", receiptId, envelope);
    server.settle();
    assertThat(server.acks).contains("alice/" + receiptId);
    assertThat(alice.sent.get(toCarol)).isNotIn(SentState.DELIVERED, SentState.READ);
  }

  @Test
  void everyEnvelope_hidesTheTextLengthInside256ByteBlocks() throws Exception {
    TestClient alice = client("alice").publish().connect();
    TestClient bob = client("bob").publish().connect();
    alice.send("bob", "x");
    server.settle();
    bob.send("alice", "y");
    server.settle();
    int before = server.relayed.size();
    alice.send("bob", "1");
    alice.send("bob", "a".repeat(150));
    alice.send("bob", "\u00e9".repeat(75)); // 150 UTF-8 bytes
    String longer = alice.send("bob", "b".repeat(151));
    server.settle();
    List<Integer> sizes =
        server.relayed.subList(before, server.relayed.size()).stream()
            .filter(s -> s.to().equals("bob"))
            .map(s -> Bytes.fromBase64(s.envelope()).length)
            .toList();
    assertThat(sizes.subList(0, 3)).containsOnly(2 + 40 + 256 + 16);
    assertThat(sizes.get(3)).isEqualTo(2 + 40 + 512 + 16);
    // Receipts about one message (Bob's, for each of these) look exactly like the short texts.
    assertThat(
            server.relayed.stream()
                .filter(s -> s.to().equals("alice"))
                .skip(1)
                .map(s -> Bytes.fromBase64(s.envelope()).length))
        .containsOnly(2 + 40 + 256 + 16);
    assertThat(alice.sent).containsEntry(longer, SentState.DELIVERED);
  }

  /**
   * Which sessions a stored record holds (their prekey headers), whatever their ratchets did since.
   */
  private static List<String> sessionStarts(byte[] record) {
    return Json.createReader(new java.io.ByteArrayInputStream(record))
        .readObject()
        .getJsonArray("sessions")
        .getValuesAs(JsonObject.class)
        .stream()
        .map(s -> s.getString("preKeyHeader") + s.getString("peerIdentityKey"))
        .toList();
  }

  private static String flipLastBit(String envelopeBase64) {
    byte[] e = Bytes.fromBase64(envelopeBase64);
    e[e.length - 1] ^= 1;
    return Bytes.base64(e);
  }
}
