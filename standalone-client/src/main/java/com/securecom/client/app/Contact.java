package com.securecom.client.app;

import com.securecom.client.e2e.PeerIdentity;
import java.util.Arrays;

/**
 * A peer as this client knows them: the identity pinned on first use; whether the user verified its safety number;
 * whether the pin changed since (announced, not yet verified); and whether sending is blocked because a verified
 * identity changed.
 */
public record Contact(PeerIdentity identity, boolean verified, boolean changed, boolean blocked) {

  static Contact firstSeen(PeerIdentity identity) {
    return new Contact(identity, false, false, false);
  }

  public String username() {
    return identity.username();
  }

  /** True if {@code other} is the same identity (both keys). */
  public boolean matches(PeerIdentity other) {
    return Arrays.equals(identity.identityKey(), other.identityKey())
        && Arrays.equals(identity.identityDhKey(), other.identityDhKey());
  }

  /** The contact after its identity changed to {@code next}: unverified, and blocked if it had been verified. */
  Contact changedTo(PeerIdentity next) {
    return new Contact(next, false, true, verified || blocked);
  }

  /** The contact after the user compared safety numbers. */
  Contact verify() {
    return new Contact(identity, true, false, false);
  }
}
