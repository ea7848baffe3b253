package com.securecom.client.app;

import com.securecom.client.e2e.SessionRecord;
import com.securecom.protocol.DeviceIds;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link SessionStore} over serialized session records: the profile's ({@link ProfileData}) or,
 * for tests, a map of its own ({@link #inMemory}). A record is keyed by the peer's username for
 * device 1 (the form of profiles written before linked devices, which therefore read unchanged) and
 * by {@code username:device} for the others; usernames contain no {@code :}.
 */
final class StoredSessions implements SessionStore {
  private final Map<String, byte[]> records;
  private final SecureRandom random;

  StoredSessions(Map<String, byte[]> records, SecureRandom random) {
    this.records = records;
    this.random = random;
  }

  static StoredSessions inMemory(SecureRandom random) {
    return new StoredSessions(new TreeMap<>(), random);
  }

  private static String key(String peer, int device) {
    return ProfileData.deviceKey(peer, device);
  }

  @Override
  public SessionRecord load(String peer, int device) {
    byte[] stored = records.get(key(peer, device));
    return stored == null ? new SessionRecord() : SessionRecord.fromBytes(stored, random);
  }

  @Override
  public void store(String peer, int device, SessionRecord record) {
    records.put(key(peer, device), record.toBytes());
  }

  @Override
  public void delete(String peer, int device) {
    records.remove(key(peer, device));
  }

  @Override
  public List<Integer> devices(String peer) {
    return records.keySet().stream()
        .filter(k -> k.equals(peer) || k.startsWith(peer + ":"))
        .map(
            k ->
                k.equals(peer) ? DeviceIds.FIRST : Integer.parseInt(k.substring(peer.length() + 1)))
        .sorted()
        .toList();
  }
}
