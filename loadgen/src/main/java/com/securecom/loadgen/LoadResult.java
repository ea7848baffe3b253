package com.securecom.loadgen;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a {@link LoadRun} observed, summed over its users. The message sets are keyed by (sender,
 * id) as the relay names messages; for the bare relay (no ids, no answers) they are empty and only
 * the counters mean something.
 *
 * @param sent messages the generator sent (first attempts; sends made again after a reconnect are
 *     {@code resent})
 * @param resent sends made again on a new connection because the old one ended before the server
 *     answered
 * @param skipped sends not made because the sender had no connection at the time
 * @param accepted messages the server answered {@code accepted}, with their intended recipient
 * @param refused messages the server answered with an {@code error}, with its code
 * @param unanswered messages sent that have neither an answer nor a receipt (yet)
 * @param sentTo every message sent, with its intended recipient
 * @param delivered the messages the recipients' applications saw (each once), with the user who got
 *     it
 * @param receipts messages whose sender saw the {@code delivered} receipt
 * @param duplicatesRemoved deliveries of a (sender, id) the recipient had seen already, removed
 * @param deliveredCount deliveries shown to an application (for the bare relay: every frame
 *     received)
 * @param errors what went wrong, by kind (error codes of the server, failed sends, refused
 *     reconnects, ...)
 * @param disconnects connections that ended without the generator closing them, by close code
 * @param reconnects connections made again after one ended
 */
public record LoadResult(
    long sent,
    long resent,
    long skipped,
    Map<MessageKey, String> accepted,
    Map<MessageKey, String> refused,
    Set<MessageKey> unanswered,
    Map<MessageKey, String> sentTo,
    Map<MessageKey, String> delivered,
    Set<MessageKey> receipts,
    long duplicatesRemoved,
    long deliveredCount,
    Map<String, Long> errors,
    Map<String, Long> disconnects,
    long reconnects) {

  static LoadResult of(List<UserLedger.Snapshot> ledgers, Stats stats) {
    Map<MessageKey, String> sentTo = new HashMap<>();
    Map<MessageKey, String> accepted = new HashMap<>();
    Map<MessageKey, String> refused = new HashMap<>();
    Set<MessageKey> unanswered = new TreeSet<>();
    Map<MessageKey, String> delivered = new HashMap<>();
    Set<MessageKey> receipts = new TreeSet<>();
    long duplicates = 0;
    for (UserLedger.Snapshot ledger : ledgers) {
      String from = ledger.user();
      ledger.sentTo().forEach((id, to) -> sentTo.put(new MessageKey(from, id), to));
      ledger
          .accepted()
          .forEach(
              id -> accepted.put(new MessageKey(from, id), ledger.sentTo().getOrDefault(id, "?")));
      ledger.refused().forEach((id, code) -> refused.put(new MessageKey(from, id), code));
      ledger.unanswered().forEach(id -> unanswered.add(new MessageKey(from, id)));
      ledger.receipts().forEach(id -> receipts.add(new MessageKey(from, id)));
      ledger.received().forEach(key -> delivered.put(key, ledger.user()));
      duplicates += ledger.duplicates();
    }
    return new LoadResult(
        stats.sent.sum(),
        stats.resent.sum(),
        stats.skipped.sum(),
        Map.copyOf(accepted),
        Map.copyOf(refused),
        Set.copyOf(unanswered),
        Map.copyOf(sentTo),
        Map.copyOf(delivered),
        Set.copyOf(receipts),
        duplicates,
        stats.delivered.sum(),
        stats.errorCounts(),
        stats.disconnectCounts(),
        stats.reconnects.sum());
  }

  /** Accepted messages no recipient got: each one a message the relay lost. */
  public Set<MessageKey> lost() {
    return accepted.keySet().stream()
        .filter(k -> !delivered.containsKey(k))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Delivered messages that reached another user than the one they were sent to. */
  public Set<MessageKey> misdelivered() {
    return delivered.entrySet().stream()
        .filter(e -> sentTo.containsKey(e.getKey()) && !sentTo.get(e.getKey()).equals(e.getValue()))
        .map(Map.Entry::getKey)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Delivered messages this run never sent (from another run, or invented). */
  public Set<MessageKey> unexpected() {
    return delivered.keySet().stream()
        .filter(k -> !sentTo.containsKey(k))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Delivered messages whose sender has not seen the receipt yet. */
  public Set<MessageKey> receiptsOutstanding() {
    return delivered.keySet().stream()
        .filter(k -> sentTo.containsKey(k) && !receipts.contains(k))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * Whether everything sent is settled: every send answered (or receipted), every accepted message
   * delivered, and every delivery's receipt seen by its sender.
   */
  public boolean settled() {
    return unanswered.isEmpty() && lost().isEmpty() && receiptsOutstanding().isEmpty();
  }

  /**
   * "sender/id -> recipient" for each of {@code keys} (at most {@code limit}, then how many more).
   */
  public String describe(Set<MessageKey> keys, int limit) {
    String listed =
        keys.stream()
            .sorted()
            .limit(limit)
            .map(k -> k + " -> " + sentTo.getOrDefault(k, "?"))
            .collect(Collectors.joining(", "));
    return keys.size() > limit ? listed + " ... and " + (keys.size() - limit) + " more" : listed;
  }

  /** One line of counts, for logs. */
  public String summary() {
    return String.format(
        "sent %d (resent %d, skipped while disconnected %d), accepted %d, refused %d,"
            + " unanswered %d, delivered %d (duplicates removed %d), receipts %d, lost %d, reconnects %d,"
            + " disconnects %s, errors %s",
        sent,
        resent,
        skipped,
        accepted.size(),
        refused.size(),
        unanswered.size(),
        delivered.size(),
        duplicatesRemoved,
        receipts.size(),
        lost().size(),
        reconnects,
        new TreeMap<>(disconnects),
        new TreeMap<>(errors));
  }
}
