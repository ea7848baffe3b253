package com.securecom.client.app;

import com.securecom.client.e2e.PeerIdentity;
import java.util.List;
import java.util.Optional;

/**
 * The identities this user pinned for their peers, and the rules by which a pin changes
 * (docs/protocol.md, "Identities and pins"), in the manner of libsignal's {@code IdentityKeyStore}.
 * {@link PinnedIdentities} is the implementation, over the profile's contacts or, for tests, over a
 * map of its own.
 *
 * <p>Security guarantee: nothing the server says changes a pin. A pin is made on first use ({@link
 * #pinIfNew}, {@link #authenticated} for a peer without one); a message that authenticated under
 * another identity only makes that identity pending, which blocks sending; only the user adopts a
 * pending identity ({@link #verify}, {@link #accept}). {@link #isTrusted} is the one decision every
 * encrypt and decrypt is checked against (through {@link PeerTrust#trustedIdentity}), so a session
 * with an identity that was replaced can never be used again.
 *
 * <p>Not thread-safe: callers hold the vault's lock and save after a change.
 */
public interface IdentityStore {
  /** What a session would be used for. */
  enum Direction {
    /**
     * Encrypting to the peer: only the pinned identity, and only while no other identity is
     * pending.
     */
    SENDING,
    /**
     * Decrypting from the peer: the pinned identity or the pending one (whose texts are shown as
     * unconfirmed); any identity while nothing is pinned (the message then pins it).
     */
    RECEIVING
  }

  /** Which identity an authenticated message came under. */
  enum Origin {
    /** The pinned identity (possibly pinned just now, on first use). */
    PINNED,
    /** The pending identity, already announced. */
    PENDING,
    /** An identity that just became pending: the user must be told. */
    NEW_PENDING
  }

  /** The peer as pinned, if they are pinned. */
  Optional<Contact> contact(String peer);

  /** Every pinned peer, by name. */
  List<Contact> contacts();

  /**
   * True if a session with {@code identity} may be used with {@code peer} in {@code direction}: for
   * sending, it is the pin and nothing is pending; for receiving, it is the pin or the pending
   * identity, or nothing is pinned yet.
   */
  boolean isTrusted(String peer, PeerIdentity identity, Direction direction);

  /**
   * Pins {@code identity} if its user has no pin yet (first use); returns the contact, changed or
   * not.
   */
  Contact pinIfNew(PeerIdentity identity);

  /**
   * Records that a message from {@code peer} authenticated under {@code identity}: pins it on first
   * use, makes it pending if it is neither the pin nor the pending identity (replacing a pending
   * one); the pin stays.
   */
  Origin authenticated(String peer, PeerIdentity identity);

  /**
   * The user compared safety numbers: the pending identity, if any, becomes the pin; verified
   * either way.
   *
   * @throws java.util.NoSuchElementException if {@code peer} is not pinned
   */
  Contact verify(String peer);

  /**
   * The user adopts the pending identity without comparing safety numbers.
   *
   * @throws IllegalStateException if none is pending, or the pin was verified (then only {@link
   *     #verify} adopts it)
   * @throws java.util.NoSuchElementException if {@code peer} is not pinned
   */
  Contact accept(String peer);
}
