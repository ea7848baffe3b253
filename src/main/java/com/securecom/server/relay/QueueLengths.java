package com.securecom.server.relay;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many undelivered messages each recipient has, as this node last counted them, so that the queue limit costs
 * a database count only the first time a recipient is seen in a while. Updated only after a commit. Counts made by
 * other nodes of a cluster are not seen until the whole table is forgotten ({@link #FRESH_MILLIS}), so the limit is
 * soft by that much; a recipient that looks full is always counted again before a message is refused.
 */
final class QueueLengths {
  static final long FRESH_MILLIS = 60_000;
  private final Map<String, Long> lengths = new ConcurrentHashMap<>();
  private volatile long forgetAt;

  /** The remembered length, or null if it must be counted. */
  Long get(String recipient, long now) {
    if (now >= forgetAt) {
      lengths.clear();
      forgetAt = now + FRESH_MILLIS;
    }
    return lengths.get(recipient);
  }

  /** After a commit: {@code recipient} now has {@code length} undelivered messages. */
  void set(String recipient, long length) {
    lengths.put(recipient, length);
  }

  /** After a commit: one of {@code recipient}'s messages was delivered. */
  void delivered(String recipient) {
    lengths.computeIfPresent(recipient, (r, n) -> n > 1 ? n - 1 : null);
  }

  /** Forgets everything (messages were deleted behind its back). */
  void forget() {
    lengths.clear();
  }
}
