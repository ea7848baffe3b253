package com.securecom.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.server.account.Account;
import com.securecom.server.account.JpaAccountRepository;
import com.securecom.server.testing.InMemoryDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Database#atomically}: the writes handed one {@link Transaction} commit together or not at
 * all.
 */
class AtomicWritesTest {
  private final InMemoryDatabase db = InMemoryDatabase.open();
  private final JpaAccountRepository accounts = new JpaAccountRepository(db.database());

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void writesInOneTransaction_commitTogether() {
    db.database()
        .atomically(
            tx -> {
              accounts.add(tx, new Account("alice", "not a hash", 0));
              accounts.add(tx, new Account("bob", "not a hash", 0));
            });

    assertThat(accounts.exists("alice")).isTrue();
    assertThat(accounts.exists("bob")).isTrue();
  }

  @Test
  void aFailureAfterAWrite_rollsTheWriteBack() {
    assertThatThrownBy(
            () ->
                db.database()
                    .atomically(
                        tx -> {
                          accounts.add(tx, new Account("carol", "not a hash", 0));
                          throw new IllegalStateException("the keys could not be stored");
                        }))
        .hasMessage("the keys could not be stored");

    assertThat(accounts.exists("carol")).isFalse();
  }

  @Test
  void aSecondAdd_ofATakenName_inTheSameTransaction_isRefused() {
    db.database()
        .atomically(
            tx -> {
              assertThat(accounts.add(tx, new Account("dave", "not a hash", 0))).isTrue();
              assertThat(accounts.add(tx, new Account("dave", "another", 0))).isFalse();
            });
  }

  @Test
  void aLookupDuringAnOpenTransaction_isATransactionOfItsOwn_andDoesNotSeeUncommittedWrites() {
    db.database()
        .atomically(
            tx -> {
              accounts.add(tx, new Account("erin", "not a hash", 0));
              assertThat(accounts.exists("erin")).isFalse();
            });

    assertThat(accounts.exists("erin")).isTrue();
  }
}
