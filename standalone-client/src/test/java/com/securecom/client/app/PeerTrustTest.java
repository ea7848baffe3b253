package com.securecom.client.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.client.app.IdentityStore.Direction;
import com.securecom.client.app.IdentityStore.Origin;
import com.securecom.client.e2e.LocalIdentity;
import com.securecom.client.e2e.LocalUser;
import com.securecom.client.e2e.MessagePayload;
import com.securecom.client.e2e.PeerIdentity;
import com.securecom.client.e2e.PreKeyBundle;
import com.securecom.client.e2e.Session;
import com.securecom.client.e2e.SessionRecord;
import com.securecom.client.e2e.UntrustedBundleException;
import com.securecom.protocol.crypto.X25519;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Sessions bound to pins, on in-memory stores: a session whose identity is not the pin (or, for
 * receiving, the pending identity) is never used, and never comes back once its identity was
 * replaced.
 */
class PeerTrustTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final IdentityStore identities = PinnedIdentities.inMemory();
  private final SessionStore stored = StoredSessions.inMemory(RANDOM);
  private final PeerTrust trust = new PeerTrust(identities, stored);
  private final LocalUser alice =
      new LocalUser("alice", LocalIdentity.generate(RANDOM), null, RANDOM);
  private final LocalIdentity bob = LocalIdentity.generate(RANDOM);
  private final LocalIdentity bobReinstalled = LocalIdentity.generate(RANDOM);
  private final LocalIdentity mallory = LocalIdentity.generate(RANDOM);

  /**
   * Alice's sessions with each of {@code peers} (all known to the relay as bob), the last one
   * newest.
   */
  private SessionRecord sessionsWith(LocalIdentity... peers) throws UntrustedBundleException {
    SessionRecord record = new SessionRecord();
    for (LocalIdentity peer : peers) {
      record.initiate(alice, bundle(peer));
    }
    return record;
  }

  private static PreKeyBundle bundle(LocalIdentity peer) {
    PreKeyBundle.SignedPreKey signed =
        peer.signPreKey(1, Instant.now().getEpochSecond(), X25519.generate(RANDOM).publicKey());
    return new PreKeyBundle(
        "bob", peer.identityKey(), peer.identityDhKey(), peer.identityDhSignature(), signed, null);
  }

  private static PeerIdentity as(LocalIdentity identity) {
    return identity.publicIdentity("bob");
  }

  private static MessagePayload text(String body) {
    return MessagePayload.text(UUID.randomUUID().toString(), body, Instant.now());
  }

  @Test
  void aStoredSessionWithAnUnpinnedIdentity_isDroppedOnLoad_evenIfNewest() throws Exception {
    identities.pinIfNew(as(bob));
    stored.store("bob", 1, sessionsWith(bob, mallory));

    SessionRecord loaded = trust.sessions("bob", 1);

    assertThat(loaded.size()).isEqualTo(1);
    assertThat(trust.sendingSession("bob", loaded))
        .hasValueSatisfying(s -> assertThat(s.isWith(as(bob))).isTrue());
  }

  @Test
  void theSessionOfAPinTheUserReplaced_isDeleted_andCannotBeResurrected() throws Exception {
    identities.pinIfNew(as(bob));
    SessionRecord old = sessionsWith(bob);
    byte[] oldCopy = old.toBytes();
    SessionRecord record = sessionsWith(bob, bobReinstalled);
    trust.authenticated("bob", as(bobReinstalled), record);
    trust.store("bob", 1, record);

    trust.verify("bob");

    assertThat(stored.load("bob", 1).size()).as("deleted from the store").isEqualTo(1);
    stored.store(
        "bob",
        1,
        SessionRecord.fromBytes(oldCopy, RANDOM)); // a stale copy of the old ratchet comes back
    SessionRecord loaded = trust.sessions("bob", 1);
    assertThat(loaded.size()).isZero();
    assertThatThrownBy(() -> trust.encrypt("bob", loaded, text("to the old key")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void whileAnIdentityIsPending_noSessionEncrypts_butBothDecrypt() throws Exception {
    identities.pinIfNew(as(bob));
    SessionRecord record = sessionsWith(bob, bobReinstalled);

    assertThat(trust.authenticated("bob", as(bobReinstalled), record))
        .isEqualTo(Origin.NEW_PENDING);

    assertThat(record.size()).isEqualTo(2);
    assertThat(trust.sendingSession("bob", record)).isEmpty();
    assertThatThrownBy(() -> trust.sendable("bob"))
        .isInstanceOf(UntrustedIdentityException.class)
        .hasMessageContaining("NEW identity key");
    Session toBob = record.currentWith(as(bob)).orElseThrow();
    Session toReinstalled = record.currentWith(as(bobReinstalled)).orElseThrow();
    assertThat(trust.trustedIdentity("bob", toBob, Direction.RECEIVING))
        .hasValueSatisfying(i -> assertThat(i.sameKeysAs(as(bob))).isTrue());
    assertThat(trust.trustedIdentity("bob", toReinstalled, Direction.RECEIVING))
        .hasValueSatisfying(i -> assertThat(i.sameKeysAs(as(bobReinstalled))).isTrue());
    assertThat(trust.trustedIdentity("bob", toBob, Direction.SENDING)).isEmpty();
  }

  @Test
  void aNewPendingIdentity_dropsTheSessionsOfThePendingIdentityItReplaces_keepingThePin()
      throws Exception {
    identities.pinIfNew(as(bob));
    SessionRecord record = sessionsWith(bob, bobReinstalled);
    trust.authenticated("bob", as(bobReinstalled), record);
    record.initiate(
        alice, bundle(mallory)); // as a first message under a third identity would start one

    assertThat(trust.authenticated("bob", as(mallory), record)).isEqualTo(Origin.NEW_PENDING);

    assertThat(record.currentWith(as(bob))).isPresent();
    assertThat(record.currentWith(as(mallory))).isPresent();
    assertThat(record.currentWith(as(bobReinstalled))).isEmpty();
  }

  @Test
  void onTheSessionWithThePin_encryptingWorks_andTheNewestSuchSessionIsUsed() throws Exception {
    identities.pinIfNew(as(bob));
    SessionRecord record = sessionsWith(bob, bob);
    Session newest = record.current().orElseThrow();

    assertThat(trust.sendingSession("bob", record)).containsSame(newest);
    assertThat(trust.encrypt("bob", record, text("hello"))).isNotEmpty();
    assertThat(trust.sendable("bob").sameKeysAs(as(bob))).isTrue();
  }

  @Test
  void withNothingPinned_storedSessionsAreLoadedAsTheyAre_butNoneEncrypts() throws Exception {
    stored.store("bob", 1, sessionsWith(bob));

    SessionRecord loaded = trust.sessions("bob", 1);

    assertThat(loaded.size()).isEqualTo(1);
    assertThat(trust.sendingSession("bob", loaded)).isEmpty();
    assertThat(trust.sendable("bob")).isNull();
  }
}
