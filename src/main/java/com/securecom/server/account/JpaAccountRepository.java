package com.securecom.server.account;

import com.securecom.server.persistence.Database;
import com.securecom.server.persistence.Transaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Optional;

@ApplicationScoped
public class JpaAccountRepository implements AccountRepository {
  private Database database;

  protected JpaAccountRepository() {}

  @Inject
  public JpaAccountRepository(Database database) {
    this.database = database;
  }

  @Override
  public boolean add(Transaction tx, Account account) {
    EntityManager em = tx.entityManager();
    if (em.find(Account.class, account.username()) != null) {
      return false;
    }
    em.persist(account);
    em.flush();
    return true;
  }

  @Override
  public Optional<Account> find(String username) {
    return database.inTransaction(em -> Optional.ofNullable(em.find(Account.class, username)));
  }

  @Override
  public boolean exists(String username) {
    return find(username).isPresent();
  }

  @Override
  public void updatePasswordHash(String username, String passwordHash) {
    database.execute(
        em -> {
          Account account = em.find(Account.class, username);
          if (account != null) {
            account.rehashPassword(passwordHash);
          }
        });
  }
}
