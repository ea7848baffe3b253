package com.securecom.server.testing;

import com.securecom.server.persistence.Database;
import com.securecom.server.persistence.DatabaseSettings;
import jakarta.persistence.EntityManager;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The real {@link Database}, counting the transactions it runs ({@code inTransaction}, and {@code
 * execute} and {@code atomically}, which go through it).
 */
public final class CountingDatabase extends Database {
  private final AtomicInteger transactions = new AtomicInteger();

  public CountingDatabase(DatabaseSettings settings) {
    super(settings);
  }

  @Override
  public <T> T inTransaction(Function<EntityManager, T> work) {
    transactions.incrementAndGet();
    return super.inTransaction(work);
  }

  /** The transactions run since the last call (or since the start), and starts counting anew. */
  public int transactionsSinceLastAsked() {
    return transactions.getAndSet(0);
  }
}
