package com.securecom.client.app;

import com.securecom.client.e2e.SessionRecord;
import java.security.SecureRandom;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link SessionStore} over serialized session records by peer name: the profile's ({@link
 * ProfileData}) or, for tests, a map of its own ({@link #inMemory}).
 */
final class StoredSessions implements SessionStore {
  private final Map<String, byte[]> records;
  private final SecureRandom random;

  /** Sessions kept in {@code records}, which this store changes in place. */
  StoredSessions(Map<String, byte[]> records, SecureRandom random) {
    this.records = records;
    this.random = random;
  }

  static StoredSessions inMemory(SecureRandom random) {
    return new StoredSessions(new TreeMap<>(), random);
  }

  @Override
  public SessionRecord load(String peer) {
    byte[] stored = records.get(peer);
    return stored == null ? new SessionRecord() : SessionRecord.fromBytes(stored, random);
  }

  @Override
  public void store(String peer, SessionRecord record) {
    records.put(peer, record.toBytes());
  }
}
