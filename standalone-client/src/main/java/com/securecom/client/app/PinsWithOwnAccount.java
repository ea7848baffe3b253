package com.securecom.client.app;

import com.securecom.client.e2e.PeerIdentity;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * The peers' pins, and this account's own identity pinned for its username: the other devices of
 * this account (docs/protocol.md, "Sessions with a peer", "Devices") are a peer whose pin is this
 * profile's own identity, verified, which nothing received ever changes. Sessions with them are
 * therefore checked by {@link PeerTrust} like any other, and a session with any other identity
 * under this account's name is never used. The own account is not a contact: {@link #contacts} does
 * not list it, and {@link #verify} and {@link #accept} refuse it.
 */
final class PinsWithOwnAccount implements IdentityStore {
  private final IdentityStore peers;
  private final Contact own;

  /**
   * @param peers the pins of other users
   * @param own this account's username and identity
   */
  PinsWithOwnAccount(IdentityStore peers, PeerIdentity own) {
    this.peers = peers;
    this.own = new Contact(own, true, null);
  }

  private boolean isOwn(String peer) {
    return own.identity().username().equals(peer);
  }

  private boolean isOwnIdentity(PeerIdentity identity) {
    return MessageDigest.isEqual(own.identity().identityKey(), identity.identityKey())
        && MessageDigest.isEqual(own.identity().identityDhKey(), identity.identityDhKey());
  }

  @Override
  public Optional<Contact> contact(String peer) {
    return isOwn(peer) ? Optional.of(own) : peers.contact(peer);
  }

  @Override
  public List<Contact> contacts() {
    return peers.contacts();
  }

  @Override
  public boolean isTrusted(String peer, PeerIdentity identity, Direction direction) {
    return isOwn(peer) ? isOwnIdentity(identity) : peers.isTrusted(peer, identity, direction);
  }

  @Override
  public Contact pinIfNew(PeerIdentity identity) {
    return isOwn(identity.username()) ? own : peers.pinIfNew(identity);
  }

  /**
   * @throws IllegalArgumentException for the own account under another identity: the caller lets
   *     only the own identity through ({@link #isTrusted})
   */
  @Override
  public Origin authenticated(String peer, PeerIdentity identity) {
    if (!isOwn(peer)) {
      return peers.authenticated(peer, identity);
    }
    if (!isOwnIdentity(identity)) {
      throw new IllegalArgumentException("another identity under this account's name");
    }
    return Origin.PINNED;
  }

  @Override
  public Contact verify(String peer) {
    refuseOwn(peer);
    return peers.verify(peer);
  }

  @Override
  public Contact accept(String peer) {
    refuseOwn(peer);
    return peers.accept(peer);
  }

  private void refuseOwn(String peer) {
    if (isOwn(peer)) {
      throw new IllegalStateException("your own account's identity is this profile's");
    }
  }
}
