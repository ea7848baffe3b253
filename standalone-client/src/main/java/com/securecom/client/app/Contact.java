package com.securecom.client.app;

import com.securecom.client.e2e.PeerIdentity;

/**
 * A peer as this client knows them (docs/protocol.md, "Identities and pins"): the pinned identity,
 * the only one messages are sent to; whether the user verified its safety number; and a pending
 * identity, set when a message authenticated under another identity of the peer. While an identity
 * is pending, sending is blocked until the user verifies it or (if the pin was not verified)
 * accepts it.
 *
 * @param pending the other identity a message authenticated under; null if none
 */
public record Contact(PeerIdentity identity, boolean verified, PeerIdentity pending) {

  static Contact firstSeen(PeerIdentity identity) {
    return new Contact(identity, false, null);
  }

  public String username() {
    return identity.username();
  }

  /** True if {@code other} is the pinned identity (both keys). */
  public boolean matches(PeerIdentity other) {
    return identity.sameKeysAs(other);
  }

  /**
   * True while another identity is pending: sending is blocked until the user verifies or accepts
   * it.
   */
  public boolean blocked() {
    return pending != null;
  }

  /** True if a different identity is pending (kept for the command line's wording). */
  public boolean changed() {
    return pending != null;
  }

  /** The contact with {@code next} pending; the pin, its verification and its sessions stay. */
  Contact withPending(PeerIdentity next) {
    return new Contact(identity, verified, next);
  }

  /**
   * The contact after the user compared safety numbers: the pending identity, if any, becomes the
   * pin; verified.
   */
  Contact verify() {
    return new Contact(pending != null ? pending : identity, true, null);
  }

  /**
   * The contact after the user accepted the pending identity without verifying it.
   *
   * @throws IllegalStateException if none is pending, or the pin was verified (then only {@link
   *     #verify} adopts it)
   */
  Contact accept() {
    if (pending == null) {
      throw new IllegalStateException("no new key is waiting to be accepted");
    }
    if (verified) {
      throw new IllegalStateException(
          "you verified the current key: compare the new safety number and verify it");
    }
    return new Contact(pending, false, null);
  }
}
