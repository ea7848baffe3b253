package com.securecom.server.link;

import java.util.Optional;

/**
 * Stores link mailboxes by key (the caller's choice: the SHA-256 of the mailbox id), each with at
 * most one message, until they expire.
 */
public interface MailboxRepository {
  /** Opens an empty mailbox; false if one with this id exists (expired or not). */
  boolean open(byte[] id, long now, long expiresAt);

  /** How many mailboxes are unexpired at {@code now}. */
  long countOpen(long now);

  /** What a mailbox holds at {@code now}. */
  enum State {
    /** No mailbox, or an expired one. */
    NONE,
    EMPTY,
    FULL
  }

  State state(byte[] id, long now);

  /**
   * Puts {@code message} in the unexpired, empty mailbox {@code id}; false if it is not (of two
   * racing writers one gets true).
   */
  boolean fill(byte[] id, byte[] message, long now);

  /**
   * Deletes the unexpired mailbox {@code id} if it holds a message, and returns the message (of two
   * racing takers one gets it); empty if there is none to take.
   */
  Optional<byte[]> take(byte[] id, long now);

  /**
   * Deletes mailboxes expired at {@code now}, at most 10,000 a call in transactions of at most
   * 1,000 (the rest at the next call); returns how many.
   */
  int deleteExpired(long now);
}
