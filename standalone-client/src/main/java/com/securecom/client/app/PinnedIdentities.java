package com.securecom.client.app;

import com.securecom.client.e2e.PeerIdentity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@link IdentityStore}: the pin rules over a map of contacts by name, the profile's ({@link
 * ProfileData}) or, for tests, one of its own ({@link #inMemory()}). The only class that changes a
 * pin.
 */
final class PinnedIdentities implements IdentityStore {
  private final Map<String, Contact> contacts;

  /** Rules over {@code contacts}, which this store changes in place. */
  PinnedIdentities(Map<String, Contact> contacts) {
    this.contacts = contacts;
  }

  /** A store of its own, empty, kept in memory only. */
  static PinnedIdentities inMemory() {
    return new PinnedIdentities(new TreeMap<>());
  }

  @Override
  public Optional<Contact> contact(String peer) {
    return Optional.ofNullable(contacts.get(peer));
  }

  @Override
  public List<Contact> contacts() {
    return List.copyOf(contacts.values());
  }

  @Override
  public boolean isTrusted(String peer, PeerIdentity identity, Direction direction) {
    Contact c = contacts.get(peer);
    if (c == null) {
      return direction
          == Direction.RECEIVING; // first use: the message pins it; nothing is sent before a pin
    }
    return switch (direction) {
      case SENDING -> c.pending() == null && c.matches(identity);
      case RECEIVING ->
          c.matches(identity) || c.pending() != null && c.pending().sameKeysAs(identity);
    };
  }

  @Override
  public Contact pinIfNew(PeerIdentity identity) {
    return contacts.computeIfAbsent(identity.username(), name -> Contact.firstSeen(identity));
  }

  @Override
  public Origin authenticated(String peer, PeerIdentity identity) {
    Contact c = contacts.get(peer);
    if (c == null) {
      contacts.put(peer, Contact.firstSeen(identity));
      return Origin.PINNED;
    }
    if (c.matches(identity)) {
      return Origin.PINNED;
    }
    if (c.pending() != null && c.pending().sameKeysAs(identity)) {
      return Origin.PENDING;
    }
    contacts.put(peer, c.withPending(identity));
    return Origin.NEW_PENDING;
  }

  @Override
  public Contact verify(String peer) {
    return replace(peer, pinned(peer).verify());
  }

  @Override
  public Contact accept(String peer) {
    return replace(peer, pinned(peer).accept());
  }

  private Contact pinned(String peer) {
    return contact(peer).orElseThrow();
  }

  private Contact replace(String peer, Contact next) {
    contacts.put(peer, next);
    return next;
  }
}
