package com.securecom.server.relay;

import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DeviceQueues;
import java.util.Collection;
import java.util.List;

/**
 * The durable queues, one per recipient device: a message to several devices is stored as one copy
 * in each. Every method is atomic.
 *
 * <p>A copy whose time to live has ended ({@code expiresAt} at or before now) is as good as purged,
 * whether or not {@link #purgeExpired} has deleted it yet (a backlog can take several runs): it is
 * never handed out again ({@link #pending}), its acknowledgement applies to nothing, so no receipt
 * is owed for it, and a receipt already owed for it is no longer handed out ({@link #receipts}).
 */
public interface MessageRepository extends DeviceQueues {
  /** What {@link #store} did. */
  enum StoreResult {
    STORED,
    DUPLICATE,
    ID_REUSED,
    QUEUE_FULL,
    SENDER_SHARE_FULL,
    SENDER_QUOTA_FULL
  }

  /** What one write of {@link #writeAll} did. */
  enum Outcome {
    /** A {@code Store} was stored, or every copy of a {@code StoreSend}. */
    STORED,
    /**
     * A {@code Store} whose (sending device, id) was already stored for the same recipient device
     * with the same envelope (or its envelope was already delivered): a retry; the first copy
     * stays.
     */
    DUPLICATE,
    /**
     * A {@code Store} whose (sending device, id) is stored for another recipient device or with
     * another envelope: refused.
     */
    ID_REUSED,
    /** A {@code Store} refused: the recipient's queue is at its message or byte limit. */
    QUEUE_FULL,
    /** A {@code Store} refused: this sender's share of the recipient's queue is used up. */
    SENDER_SHARE_FULL,
    /** A {@code Store} refused: this sender has as much stored in all queues as it may. */
    SENDER_QUOTA_FULL,
    /** An {@code Acknowledge} or {@code ForgetReceipt} that changed its message. */
    APPLIED,
    /**
     * An {@code Acknowledge} or {@code ForgetReceipt} that found no such message in the required
     * state (for an {@code Acknowledge} of another account's copy: undelivered and unexpired at the
     * acknowledgement's time).
     */
    NO_MATCH,
    /**
     * Not written: the database failed (never returned by {@link #writeAll}, which throws instead).
     */
    FAILED
  }

  /**
   * Applies {@code writes} in one transaction and returns what each did, in the same order; returns
   * only once the transaction committed (so a {@code STORED} message is durable). Within one batch,
   * stores are applied first, then acknowledgements, then receipt deletions, whatever their order
   * in {@code writes}: an acknowledgement of a message stored in the same batch applies to it (a
   * fast-path message whose window ended, and whose late {@code ack} was queued right after its
   * store), while a receipt is only forgotten after its sender saw it, which is after the commit.
   * Stores are checked against {@code limits}, in order, each seeing the stores before it.
   */
  List<Outcome> writeAll(List<? extends RelayWrite> writes, QueueLimits limits);

  /** {@link #writeAll(List, QueueLimits)} with only the recipient's message count limited. */
  default List<Outcome> writeAll(List<? extends RelayWrite> writes, int maxQueued) {
    return writeAll(writes, QueueLimits.ofMessages(maxQueued));
  }

  /**
   * Stores {@code message} unless its (sending device, id) is already stored ({@code DUPLICATE} or
   * {@code ID_REUSED}) or a limit is reached. Returns only once the message is durable.
   */
  default StoreResult store(StoredMessage message, QueueLimits limits) {
    return StoreResult.valueOf(
        writeAll(List.of(new RelayWrite.Store(message)), limits).get(0).name());
  }

  /** {@link #store(StoredMessage, QueueLimits)} with only the recipient's message count limited. */
  default StoreResult store(StoredMessage message, int maxQueued) {
    return store(message, QueueLimits.ofMessages(maxQueued));
  }

  /**
   * Marks the copy delivered and deletes its envelope; false if there was no such undelivered,
   * unexpired copy for this recipient device.
   */
  default boolean acknowledge(DeviceAddress recipient, DeviceAddress sender, String id, long now) {
    return writeAll(List.of(new RelayWrite.Acknowledge(recipient, sender, id, now)), 0).get(0)
        == Outcome.APPLIED;
  }

  /**
   * Forgets a delivered message once its sending device saw the receipt; false if there was none.
   */
  default boolean forgetReceipt(DeviceAddress sender, String id) {
    return writeAll(List.of(new RelayWrite.ForgetReceipt(sender, id)), 0).get(0) == Outcome.APPLIED;
  }

  /**
   * Up to {@code limit} undelivered, unexpired messages in {@code recipient}'s queue with seq above
   * {@code afterSeq}, in order.
   */
  List<StoredMessage> pending(DeviceAddress recipient, long afterSeq, int limit);

  /** Receipts owed to the device {@code sender} for unexpired messages, oldest first. */
  List<Receipt> receipts(DeviceAddress sender, int limit);

  /**
   * These devices of {@code username} were removed from the account: deletes what is queued for
   * them and the receipts owed to them. Messages they sent that are not delivered yet stay (they
   * were accepted), and so do the receipts their acknowledgements owe other senders. Returns how
   * many rows were deleted.
   */
  int forgetDevices(String username, Collection<Integer> deviceIds);

  /**
   * Deletes messages (delivered or not) whose time to live has ended at {@code now}, at most 10,000
   * a call in transactions of at most 1,000 (the rest at the next call); returns how many.
   */
  int purgeExpired(long now);

  /** Undelivered messages in all queues. */
  long countPending();
}
