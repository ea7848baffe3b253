package com.securecom.server.account;

import java.util.Optional;

/** Stores accounts. */
public interface AccountRepository {
  /** Adds {@code account}; false if its username is taken. */
  boolean add(Account account);

  Optional<Account> find(String username);

  boolean exists(String username);

  void updatePasswordHash(String username, String passwordHash);
}
