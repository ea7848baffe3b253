package com.securecom.server.devicelist;

import com.securecom.server.persistence.Transaction;

/**
 * Stores linking tickets by the SHA-256 of their text: each one-use, bound to one account, and
 * valid until it expires.
 */
public interface TicketRepository {
  /** Stores a ticket of {@code username} issued at {@code now}, valid before {@code expiresAt}. */
  void add(byte[] hash, String username, long now, long expiresAt);

  /** How many of {@code username}'s tickets are unused and unexpired at {@code now}. */
  long countValid(String username, long now);

  /** True if the ticket is {@code username}'s, unused and unexpired at {@code now}. */
  boolean isValid(byte[] hash, String username, long now);

  /**
   * Uses the ticket, in {@code tx}: true if it was {@code username}'s, unused and unexpired at
   * {@code now} (it is deleted, so of two transactions using it one gets true); false otherwise.
   */
  boolean use(Transaction tx, byte[] hash, String username, long now);

  /**
   * Deletes tickets expired at {@code now}, at most 10,000 a call in transactions of at most 1,000
   * (the rest at the next call); returns how many (few: each account may ask for a few a day).
   */
  int deleteExpired(long now);
}
