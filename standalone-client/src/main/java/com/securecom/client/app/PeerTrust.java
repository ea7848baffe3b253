package com.securecom.client.app;

import com.securecom.client.e2e.PeerIdentity;
import com.securecom.client.e2e.SessionRecord;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The pin rules of docs/protocol.md ("Identities and pins") over a profile's contacts and sessions, in one place:
 * what identity is trusted for a peer, which session may send, and how a pin changes. Nothing the server says
 * changes a pin: only a first use, an authenticated message (which makes an identity pending) and the user. Every
 * session record read through here has lost the sessions of identities that are neither pinned nor pending, so a
 * session of a replaced identity can never decrypt or send again. Callers hold the vault's lock and save after.
 */
final class PeerTrust {
  /** Which identity an authenticated message came under. */
  enum Origin {
    /** The pinned identity (possibly pinned just now, on first use). */
    PINNED,
    /** The pending identity, already announced. */
    PENDING,
    /** An identity that just became pending: the user must be told. */
    NEW_PENDING
  }

  private final ProfileData data;
  private final SecureRandom random;

  PeerTrust(ProfileData data, SecureRandom random) {
    this.data = data;
    this.random = random;
  }

  Optional<Contact> contact(String peer) {
    return Optional.ofNullable(data.contacts.get(peer));
  }

  /** The pinned identity, or null if there is none yet. */
  PeerIdentity pin(String peer) {
    Contact c = data.contacts.get(peer);
    return c == null ? null : c.identity();
  }

  /** Pins {@code identity} if its user has no pin yet (first use); returns the contact. */
  Contact pinIfNew(PeerIdentity identity) {
    return data.contacts.computeIfAbsent(identity.username(), name -> Contact.firstSeen(identity));
  }

  /** The sessions with {@code peer}, without any session of an identity that is neither pinned nor pending. */
  SessionRecord sessions(String peer) {
    byte[] stored = data.sessions.get(peer);
    SessionRecord record = stored == null ? new SessionRecord() : SessionRecord.fromBytes(stored, random);
    Contact c = data.contacts.get(peer);
    if (c != null) {
      record.retainOnlyWith(c.identity(), c.pending());
    }
    return record;
  }

  void store(String peer, SessionRecord record) {
    data.sessions.put(peer, record.toBytes());
  }

  /**
   * Records that a message from {@code peer} authenticated under {@code identity}: pins it on first use; makes it
   * pending if it is neither the pin nor the pending identity (and deletes sessions of a pending identity it
   * replaces).
   */
  Origin authenticated(String peer, PeerIdentity identity, SessionRecord record) {
    Contact c = data.contacts.get(peer);
    if (c == null) {
      data.contacts.put(peer, Contact.firstSeen(identity));
      return Origin.PINNED;
    }
    if (c.matches(identity)) {
      return Origin.PINNED;
    }
    if (c.pending() != null && c.pending().sameKeysAs(identity)) {
      return Origin.PENDING;
    }
    data.contacts.put(peer, c.withPending(identity));
    record.retainOnlyWith(c.identity(), identity);
    return Origin.NEW_PENDING;
  }

  /**
   * The pinned identity to send to, if sending to {@code peer} is allowed.
   *
   * @throws UntrustedIdentityException if another identity is pending
   */
  PeerIdentity sendable(String peer) {
    Contact c = data.contacts.get(peer);
    if (c != null && c.pending() != null) {
      throw UntrustedIdentityException.pending(peer, c.verified());
    }
    return c == null ? null : c.identity();
  }

  /** The user compared safety numbers: the pending identity (if any) becomes the verified pin. */
  Contact verify(String peer) {
    return adopt(peer, data.contacts.get(peer).verify());
  }

  /** The user accepted the pending identity without verifying (refused if the pin was verified). */
  Contact accept(String peer) {
    return adopt(peer, data.contacts.get(peer).accept());
  }

  private Contact adopt(String peer, Contact next) {
    SessionRecord record = sessions(peer);
    data.contacts.put(peer, next);
    record.retainOnlyWith(next.identity());
    store(peer, record);
    return next;
  }
}
