package com.securecom.server.persistence;

/**
 * Deletes the expired rows of one table in bounded steps: at most {@value #ROWS_PER_TRANSACTION}
 * rows per transaction and at most {@value #TRANSACTIONS_PER_PURGE} transactions per {@link
 * #purge}; what is left waits for the next purge (housekeeping runs every minute). One {@code
 * DELETE} of everything expired would lock, and log for rollback, however many rows expired at once
 * (queues after an outage, a flood of link mailboxes), in one transaction that holds a connection
 * all along.
 *
 * <p>Each step deletes the rows whose key is among the first {@value #ROWS_PER_TRANSACTION} expired
 * ones of a sub-select ({@code FETCH FIRST}, standard SQL that H2 and PostgreSQL both take; neither
 * takes the other's {@code DELETE ... LIMIT}). Safe beside another node purging the same table:
 * each counts only the rows its own statements deleted.
 */
public final class ExpiryPurge {
  public static final int ROWS_PER_TRANSACTION = 1_000;
  public static final int TRANSACTIONS_PER_PURGE = 10;

  private final Database database;
  private final String step;

  /**
   * Purges {@code table}, whose rows {@code key} tells apart (a primary key or a unique, non-null
   * column) and whose {@code expiry} column (milliseconds, best indexed) says when each expires.
   * All three are SQL identifiers of the caller's own, never input.
   */
  public ExpiryPurge(Database database, String table, String key, String expiry) {
    this.database = database;
    this.step =
        "DELETE FROM "
            + table
            + " WHERE "
            + key
            + " IN (SELECT "
            + key
            + " FROM "
            + table
            + " WHERE "
            + expiry
            + " <= ?1 FETCH FIRST "
            + ROWS_PER_TRANSACTION
            + " ROWS ONLY)";
  }

  /**
   * Deletes rows expired at {@code now} (expiry at or before it), each step in a transaction of its
   * own, until a step finds fewer than {@value #ROWS_PER_TRANSACTION} or {@value
   * #TRANSACTIONS_PER_PURGE} steps ran; returns how many rows were deleted. A step that fails
   * throws (the steps before it stay committed).
   */
  public int purge(long now) {
    int purged = 0;
    for (int transactions = 0; transactions < TRANSACTIONS_PER_PURGE; transactions++) {
      int deleted =
          database.inTransaction(
              em -> em.createNativeQuery(step).setParameter(1, now).executeUpdate());
      purged += deleted;
      if (deleted < ROWS_PER_TRANSACTION) {
        break;
      }
    }
    return purged;
  }
}
