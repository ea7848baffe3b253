package com.securecom.server.relay;

import java.util.List;

/** The durable queue. Every method is atomic. */
public interface MessageRepository {
  /** What {@link #store} did. */
  enum StoreResult { STORED, DUPLICATE, QUEUE_FULL }

  /** What one write of {@link #writeAll} did. */
  enum Outcome {
    /** A {@code Store} was stored. */
    STORED,
    /** A {@code Store} whose (sender, id) was already stored: the first copy stays. */
    DUPLICATE,
    /** A {@code Store} refused: the recipient already had {@code maxQueued} undelivered messages. */
    QUEUE_FULL,
    /** An {@code Acknowledge} or {@code ForgetReceipt} that changed its message. */
    APPLIED,
    /** An {@code Acknowledge} or {@code ForgetReceipt} that found no such message in the required state. */
    NO_MATCH,
    /** Not written: the database failed (never returned by {@link #writeAll}, which throws instead). */
    FAILED
  }

  /**
   * Applies {@code writes} in one transaction and returns what each did, in the same order; returns only once the
   * transaction committed (so a {@code STORED} message is durable). Within one batch, stores are applied first, then
   * acknowledgements, then receipt deletions: a batch never needs an earlier write of its own to see a later one
   * (a message is acknowledged only after it was delivered, which is after its store committed).
   */
  List<Outcome> writeAll(List<? extends RelayWrite> writes, int maxQueued);

  /**
   * Stores {@code message} unless its (sender, id) is already stored ({@code DUPLICATE}) or the recipient already
   * has {@code maxQueued} undelivered messages ({@code QUEUE_FULL}). Returns only once the message is durable.
   */
  default StoreResult store(StoredMessage message, int maxQueued) {
    return switch (writeAll(List.of(new RelayWrite.Store(message)), maxQueued).get(0)) {
      case STORED -> StoreResult.STORED;
      case DUPLICATE -> StoreResult.DUPLICATE;
      default -> StoreResult.QUEUE_FULL;
    };
  }

  /**
   * Marks the message delivered and deletes its envelope; false if there was no such undelivered message for this
   * recipient.
   */
  default boolean acknowledge(String recipient, String sender, String id, long now) {
    return writeAll(List.of(new RelayWrite.Acknowledge(recipient, sender, id, now)), 0).get(0) == Outcome.APPLIED;
  }

  /** Forgets a delivered message once its sender saw the receipt; false if there was none. */
  default boolean forgetReceipt(String sender, String id) {
    return writeAll(List.of(new RelayWrite.ForgetReceipt(sender, id)), 0).get(0) == Outcome.APPLIED;
  }

  /** Up to {@code limit} undelivered messages for {@code recipient} with seq above {@code afterSeq}, in order. */
  List<StoredMessage> pending(String recipient, long afterSeq, int limit);

  /** Receipts owed to {@code sender}, oldest first. */
  List<Receipt> receipts(String sender, int limit);

  /** Deletes every message (delivered or not) whose time to live has ended. */
  int purgeExpired(long now);

  /** Undelivered messages in all queues. */
  long countPending();
}
