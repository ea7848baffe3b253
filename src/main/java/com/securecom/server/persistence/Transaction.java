package com.securecom.server.persistence;

import jakarta.persistence.EntityManager;

/**
 * One open database transaction, handed explicitly to the repository methods whose writes must
 * commit or fail together (a new account and its keys). Valid only inside the callback of {@link
 * Database#atomically}: it commits when the callback returns and rolls back if it throws.
 */
public final class Transaction {
  private final EntityManager entityManager;

  Transaction(EntityManager entityManager) {
    this.entityManager = entityManager;
  }

  /** The transaction's persistence context, for repositories implemented with JPA. */
  public EntityManager entityManager() {
    return entityManager;
  }
}
