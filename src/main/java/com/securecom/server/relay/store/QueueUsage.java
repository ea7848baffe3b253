package com.securecom.server.relay.store;

import com.securecom.server.device.DeviceAddress;
import com.securecom.server.relay.QueueLimits;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How much each recipient device's queue holds, how much of it each sending account holds, and how
 * much each sending account holds in all queues, as this node last counted it, so that the limits
 * of {@link QueueLimits} cost a database count only the first time a key is seen in a while.
 * Updated only after a commit. Counts made by other nodes of a cluster are not seen until the whole
 * table is forgotten ({@link #FRESH_MILLIS}), so the limits are soft by that much; a key that looks
 * full is always counted again before a message is refused.
 */
final class QueueUsage {
  static final long FRESH_MILLIS = 60_000;

  /**
   * Messages and envelope bytes. For a sender, messages include those waiting for their {@code
   * receiptAck}.
   */
  record Usage(long messages, long bytes) {
    static final Usage NONE = new Usage(0, 0);

    Usage plus(long messageDelta, long byteDelta) {
      return new Usage(Math.max(0, messages + messageDelta), Math.max(0, bytes + byteDelta));
    }
  }

  private final Map<String, Usage> usage = new ConcurrentHashMap<>();
  private volatile long forgetAt;

  static String recipient(DeviceAddress recipient) {
    return "r\u0000" + recipient.username() + '\u0000' + recipient.deviceId();
  }

  static String share(String sender, DeviceAddress recipient) {
    return "p\u0000" + sender + '\u0000' + recipient.username() + '\u0000' + recipient.deviceId();
  }

  static String sender(String sender) {
    return "s\u0000" + sender;
  }

  /** The remembered usage of {@code key}, or null if it must be counted. */
  Usage get(String key, long now) {
    if (now >= forgetAt) {
      usage.clear();
      forgetAt = now + FRESH_MILLIS;
    }
    return usage.get(key);
  }

  /** After a commit: {@code key} now holds {@code value}. */
  void set(String key, Usage value) {
    usage.put(key, value);
  }

  /** After a commit: adds to {@code key} if it is remembered. */
  void add(String key, long messages, long bytes) {
    usage.computeIfPresent(key, (k, u) -> u.plus(messages, bytes));
  }

  /** Forgets {@code key} (it changed by an amount not known here). */
  void forget(String key) {
    usage.remove(key);
  }

  /** Forgets everything (messages were deleted behind its back). */
  void forget() {
    usage.clear();
  }
}
