package com.securecom.client.app;

/**
 * How far a text this user sent got, in the only order states may move (docs/protocol.md,
 * "Receipts"): {@code SENDING < SENT < REACHED < DELIVERED < READ}; {@code UNDECRYPTABLE} replaces
 * only {@code SENT} or {@code REACHED} (and {@code SENDING}: a receipt can overtake the server's
 * answer).
 */
public enum SentState {
  /** Encrypted, not yet accepted by the server. */
  SENDING,
  /** The server stored it ({@code accepted}). */
  SENT,
  /** The recipient's client acknowledged the envelope to the server (relay {@code delivered}). */
  REACHED,
  /** The recipient's client decrypted and stored it (end-to-end receipt). */
  DELIVERED,
  /** The recipient saw it (end-to-end read receipt, if they turned them on). */
  READ,
  /** The recipient's client could not decrypt it (end-to-end receipt). */
  UNDECRYPTABLE;

  /**
   * The state after {@code next} was reported, or this one if {@code next} would move it backwards.
   */
  SentState advancedTo(SentState next) {
    if (next == UNDECRYPTABLE) {
      return this == SENDING || this == SENT || this == REACHED ? UNDECRYPTABLE : this;
    }
    if (this == UNDECRYPTABLE) {
      return this;
    }
    return next.ordinal() > ordinal() ? next : this;
  }
}
