package com.securecom.client.app;

import com.securecom.client.app.IdentityStore.Direction;
import com.securecom.client.app.IdentityStore.Origin;
import com.securecom.client.e2e.MessagePayload;
import com.securecom.client.e2e.PeerIdentity;
import com.securecom.client.e2e.Session;
import com.securecom.client.e2e.SessionRecord;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Sessions seen through the pins (docs/protocol.md, "Identities and pins"): the {@link
 * IdentityStore} decides which identity is trusted, the {@link SessionStore} keeps the ratchets,
 * and this class binds the two, so that the outbox and the inbox never touch a session or a pin
 * directly.
 *
 * <p>Security guarantee: every session used to encrypt or decrypt passes {@link #trustedIdentity},
 * the one check of a session's identity against the pin. Every record read through {@link
 * #sessions} has lost the sessions of identities that are neither pinned nor pending, and a pin or
 * pending identity that changes deletes the sessions of the identity it replaces: a server cannot
 * resurrect a session of a replaced identity, to read what is sent or to pass a text off as the
 * contact's. Callers hold the vault's lock and save after a change.
 */
final class PeerTrust {
  private final IdentityStore identities;
  private final SessionStore sessions;

  PeerTrust(IdentityStore identities, SessionStore sessions) {
    this.identities = identities;
    this.sessions = sessions;
  }

  /**
   * Over a profile's contacts and sessions, with the account {@code ownName}'s other devices pinned
   * to the profile's own identity ({@link PinsWithOwnAccount}).
   */
  PeerTrust(ProfileData data, String ownName, SecureRandom random) {
    this(
        new PinsWithOwnAccount(
            new PinnedIdentities(data.contacts), data.identity.publicIdentity(ownName)),
        new StoredSessions(data.sessions, random));
  }

  IdentityStore identities() {
    return identities;
  }

  Optional<Contact> contact(String peer) {
    return identities.contact(peer);
  }

  /** The pinned identity, or null if there is none yet. */
  PeerIdentity pin(String peer) {
    return contact(peer).map(Contact::identity).orElse(null);
  }

  /**
   * The one check of a session's identity against the pin, made on every encrypt and decrypt: the
   * identity of {@code peer} (pinned or pending) that {@code session} is with, if {@link
   * IdentityStore#isTrusted} trusts it for {@code direction}; empty if the session must not be used
   * (it is with a replaced identity, or with a pending one and {@code direction} is sending).
   */
  Optional<PeerIdentity> trustedIdentity(String peer, Session session, Direction direction) {
    Contact c = contact(peer).orElse(null);
    if (c == null) {
      return Optional.empty();
    }
    return Stream.of(c.identity(), c.pending())
        .filter(
            known ->
                known != null
                    && session.isWith(known)
                    && identities.isTrusted(peer, known, direction))
        .findFirst();
  }

  /**
   * The sessions with device {@code device} of {@code peer}, without any session whose identity is
   * no longer trusted for receiving.
   */
  SessionRecord sessions(String peer, int device) {
    SessionRecord record = sessions.load(peer, device);
    if (contact(peer).isPresent()) {
      record.retainOnly(s -> trustedIdentity(peer, s, Direction.RECEIVING).isPresent());
    }
    return record;
  }

  void store(String peer, int device, SessionRecord record) {
    sessions.store(peer, device, record);
  }

  /** Deletes the sessions with device {@code device} of {@code peer} (it left their list). */
  void forgetDevice(String peer, int device) {
    sessions.delete(peer, device);
  }

  /** The newest session of {@code record} that may encrypt to {@code peer}, if there is one. */
  Optional<Session> sendingSession(String peer, SessionRecord record) {
    return record.newest(s -> trustedIdentity(peer, s, Direction.SENDING).isPresent());
  }

  /**
   * Encrypts on the newest session that may encrypt to {@code peer}.
   *
   * @throws IllegalStateException if there is none (start one from a bundle whose identity is the
   *     pin)
   */
  byte[] encrypt(String peer, SessionRecord record, MessagePayload payload) {
    return sendingSession(peer, record)
        .orElseThrow(() -> new IllegalStateException("no session with the pinned identity"))
        .encrypt(payload);
  }

  /**
   * The pinned identity to send to, if sending to {@code peer} is allowed; null if nothing is
   * pinned.
   *
   * @throws UntrustedIdentityException if another identity is pending
   */
  PeerIdentity sendable(String peer) {
    Contact c = contact(peer).orElse(null);
    if (c != null && c.pending() != null) {
      throw UntrustedIdentityException.pending(peer, c.verified());
    }
    return c == null ? null : c.identity();
  }

  /**
   * Records that a message from {@code peer} authenticated under {@code identity} ({@link
   * IdentityStore#authenticated}); if that made it pending, drops from {@code record} the sessions
   * of a pending identity it replaced.
   */
  Origin authenticated(String peer, PeerIdentity identity, SessionRecord record) {
    Origin origin = identities.authenticated(peer, identity);
    if (origin == Origin.NEW_PENDING) {
      record.retainOnly(s -> trustedIdentity(peer, s, Direction.RECEIVING).isPresent());
    }
    return origin;
  }

  /**
   * The user compared safety numbers ({@link IdentityStore#verify}); a replaced pin's sessions are
   * deleted.
   */
  Contact verify(String peer) {
    return pruned(peer, identities.verify(peer));
  }

  /**
   * The user accepted the pending identity unverified ({@link IdentityStore#accept}); the old pin's
   * sessions go.
   */
  Contact accept(String peer) {
    return pruned(peer, identities.accept(peer));
  }

  private Contact pruned(String peer, Contact now) {
    for (int device : sessions.devices(peer)) {
      store(peer, device, sessions(peer, device));
    }
    return now;
  }
}
