package com.securecom.server.session;

import com.securecom.server.persistence.Transaction;
import java.util.Optional;

/** Stores sessions by token hash. */
public interface SessionRepository {
  void add(SessionToken session);

  /** Adds {@code session} in {@code tx}, with the other writes of {@code tx}. */
  void add(Transaction tx, SessionToken session);

  /** The session of {@code tokenHash} if it exists and has not expired at {@code now}. */
  Optional<SessionToken> findValid(byte[] tokenHash, long now);

  void delete(byte[] tokenHash);

  /**
   * Deletes sessions expired at {@code now}, at most 10,000 a call in transactions of at most 1,000
   * (the rest at the next call); returns how many.
   */
  int deleteExpired(long now);
}
