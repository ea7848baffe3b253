package com.securecom.server.relay;

import java.util.List;

/** The durable queue. Every method is atomic. */
public interface MessageRepository {
  /** What {@link #store} did. */
  enum StoreResult { STORED, DUPLICATE, QUEUE_FULL }

  /**
   * Stores {@code message} unless its (sender, id) is already stored ({@code DUPLICATE}) or the recipient already
   * has {@code maxQueued} undelivered messages ({@code QUEUE_FULL}). Returns only once the message is durable.
   */
  StoreResult store(StoredMessage message, int maxQueued);

  /** Up to {@code limit} undelivered messages for {@code recipient} with seq above {@code afterSeq}, in order. */
  List<StoredMessage> pending(String recipient, long afterSeq, int limit);

  /**
   * Marks the message delivered and deletes its envelope; false if there was no such undelivered message for this
   * recipient.
   */
  boolean acknowledge(String recipient, String sender, String id, long now);

  /** Receipts owed to {@code sender}, oldest first. */
  List<Receipt> receipts(String sender, int limit);

  /** Forgets a delivered message once its sender saw the receipt; false if there was none. */
  boolean forgetReceipt(String sender, String id);

  /** Deletes every message (delivered or not) whose time to live has ended. */
  int purgeExpired(long now);

  /** Undelivered messages in all queues. */
  long countPending();
}
