package com.securecom.server.relay;

import com.securecom.server.account.AccountService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a recipient exists, asking the database once per user. Only "exists" is remembered:
 * accounts are never deleted, so a positive answer cannot go stale, while a name registered a
 * moment ago is still found. Bounded: past {@link #LIMIT} names it starts again from empty.
 */
@ApplicationScoped
public class KnownRecipients {
  static final int LIMIT = 100_000;

  private AccountService accounts;
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  protected KnownRecipients() {}

  @Inject
  public KnownRecipients(AccountService accounts) {
    this.accounts = accounts;
  }

  boolean exists(String username) {
    if (known.contains(username)) {
      return true;
    }
    if (!accounts.exists(username)) {
      return false;
    }
    if (known.size() >= LIMIT) {
      known.clear();
    }
    known.add(username);
    return true;
  }
}
