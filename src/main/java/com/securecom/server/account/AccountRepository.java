package com.securecom.server.account;

import com.securecom.server.persistence.Transaction;
import java.util.Optional;

/** Stores accounts. */
public interface AccountRepository {
  /** Adds {@code account} in {@code tx}; false if its username is taken. */
  boolean add(Transaction tx, Account account);

  Optional<Account> find(String username);

  boolean exists(String username);

  void updatePasswordHash(String username, String passwordHash);
}
