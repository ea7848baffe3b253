package com.securecom.client.app;

import com.securecom.client.e2e.SessionRecord;

/**
 * The ratchet sessions with each peer, as stored: no identity check here (callers read sessions
 * through {@link PeerTrust}, which drops those of identities no longer trusted). {@link
 * StoredSessions} is the implementation, over the profile's serialized records or a map of its own
 * for tests. Not thread-safe: callers hold the vault's lock and save after {@link #store}.
 */
public interface SessionStore {
  /** The sessions with {@code peer}; an empty record if there are none. */
  SessionRecord load(String peer);

  /** Replaces the sessions with {@code peer}. */
  void store(String peer, SessionRecord record);
}
