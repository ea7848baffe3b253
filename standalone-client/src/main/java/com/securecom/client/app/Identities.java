package com.securecom.client.app;

import com.securecom.client.e2e.PeerIdentity;
import com.securecom.client.net.ApiException;
import com.securecom.client.net.KeyDirectory;

/** Reads a user's published identity from the registry and checks that it is self-consistent. */
final class Identities {
  private Identities() {}

  /**
   * The registry's identity for {@code peer}, its DH key's signature verified under its identity
   * key (which says nothing about whether it is the right person: that is what pins and safety
   * numbers are for).
   *
   * @throws UnknownPeerException if the registry has no such user
   * @throws UntrustedIdentityException if the answer does not verify
   * @throws ApiException or {@link com.securecom.client.net.ServerUnreachableException} for other
   *     failures (see {@link KeyDirectory#isTransient})
   */
  static PeerIdentity published(KeyDirectory keys, String token, String peer) {
    PeerIdentity identity;
    try {
      identity = PeerIdentity.fromRegistryJson(peer, keys.identity(token, peer));
    } catch (ApiException e) {
      if (e.status() == 404) {
        throw new UnknownPeerException(peer);
      }
      throw e;
    }
    if (!identity.isSelfConsistent()) {
      throw UntrustedIdentityException.invalid(peer);
    }
    return identity;
  }
}
