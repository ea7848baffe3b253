package com.securecom.client.app;

import com.securecom.client.e2e.SessionRecord;
import java.util.List;

/**
 * The ratchet sessions with each device of each peer, as stored: no identity check here (callers
 * read sessions through {@link PeerTrust}, which drops those of identities no longer trusted).
 * {@link StoredSessions} is the implementation, over the profile's serialized records or a map of
 * its own for tests. Not thread-safe: callers hold the vault's lock and save after {@link #store}.
 */
public interface SessionStore {
  /** The sessions with device {@code device} of {@code peer}; an empty record if there are none. */
  SessionRecord load(String peer, int device);

  void store(String peer, int device, SessionRecord record);

  /** Deletes every session with device {@code device} of {@code peer}. */
  void delete(String peer, int device);

  /** The devices of {@code peer} with a stored record, in increasing id. */
  List<Integer> devices(String peer);
}
