package com.securecom.loadgen;

import com.securecom.protocol.wire.WireMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one relay user knows about its messages, as a real client would keep it: as sender, every
 * message it sent (and to whom), which the server answered {@code accepted} or refused, which are
 * still unanswered (to send again on the next connection) and which receipts it saw; as recipient,
 * the messages it got, each shown to the "application" once: a repeated (from, id) is counted as a
 * removed duplicate. Safe to use from any thread.
 *
 * <p>A ledger that does not track keeps nothing: every answer and every delivery counts as new.
 */
final class UserLedger {
  private final String user;
  private final boolean tracking;
  private final Map<String, WireMessage.Send> unanswered = new LinkedHashMap<>();
  private final Map<String, String> sentTo = new HashMap<>();
  private final Set<String> accepted = new HashSet<>();
  private final Map<String, String> refused = new HashMap<>();
  private final Set<String> receipts = new HashSet<>();
  private final Set<MessageKey> received = new HashSet<>();
  private long duplicates;

  UserLedger(String user, boolean tracking) {
    this.user = user;
    this.tracking = tracking;
  }

  /**
   * A new message is about to go out: unanswered until {@code accepted}, an {@code error} or a
   * receipt.
   */
  synchronized void sending(WireMessage.Send send) {
    if (!tracking) {
      return;
    }
    sentTo.put(send.id(), send.to());
    unanswered.put(send.id(), send);
  }

  /** The server answered {@code accepted}; true the first time for this id. */
  synchronized boolean accepted(String id) {
    if (!tracking) {
      return true;
    }
    unanswered.remove(id);
    return accepted.add(id);
  }

  /** The server refused the message with {@code code}; it stored nothing. */
  synchronized void refused(String id, String code) {
    if (!tracking) {
      return;
    }
    unanswered.remove(id);
    refused.put(id, code);
  }

  /**
   * The recipient acknowledged message {@code id} ({@code delivered}). This also answers a send
   * whose {@code accepted} was lost with its connection: the message was stored, so it must not be
   * sent again.
   */
  synchronized void receipt(String id) {
    if (!tracking) {
      return;
    }
    unanswered.remove(id);
    receipts.add(id);
  }

  /** Whether message {@code id} has neither an answer nor a receipt yet. */
  synchronized boolean isUnanswered(String id) {
    return unanswered.containsKey(id);
  }

  /** The messages to send again on a new connection, oldest first. */
  synchronized List<WireMessage.Send> unanswered() {
    return new ArrayList<>(unanswered.values());
  }

  /**
   * A {@code deliver} reached this user. True if the application sees it now, false if it had seen
   * this (from, id) before: a duplicate, removed and counted.
   */
  synchronized boolean received(MessageKey key) {
    if (!tracking || received.add(key)) {
      return true;
    }
    duplicates++;
    return false;
  }

  String user() {
    return user;
  }

  /** Everything so far, as one consistent copy. */
  synchronized Snapshot snapshot() {
    return new Snapshot(
        user,
        Map.copyOf(sentTo),
        Set.copyOf(accepted),
        Map.copyOf(refused),
        Set.copyOf(unanswered.keySet()),
        Set.copyOf(receipts),
        Set.copyOf(received),
        duplicates);
  }

  /**
   * A copy of one user's ledger: ids are this user's own for the sender side, (from, id) for the
   * received.
   */
  record Snapshot(
      String user,
      Map<String, String> sentTo,
      Set<String> accepted,
      Map<String, String> refused,
      Set<String> unanswered,
      Set<String> receipts,
      Set<MessageKey> received,
      long duplicates) {}
}
