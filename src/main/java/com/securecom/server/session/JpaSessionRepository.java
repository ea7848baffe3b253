package com.securecom.server.session;

import com.securecom.server.persistence.Database;
import com.securecom.server.persistence.ExpiryPurge;
import com.securecom.server.persistence.Transaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

@ApplicationScoped
public class JpaSessionRepository implements SessionRepository {
  private Database database;
  private ExpiryPurge expired;

  protected JpaSessionRepository() {}

  @Inject
  public JpaSessionRepository(Database database) {
    this.database = database;
    this.expired = new ExpiryPurge(database, "session_token", "token_hash", "expires_at");
  }

  @Override
  public void add(SessionToken session) {
    database.execute(em -> em.persist(session));
  }

  @Override
  public void add(Transaction tx, SessionToken session) {
    tx.entityManager().persist(session);
  }

  @Override
  public Optional<SessionToken> findValid(byte[] tokenHash, long now) {
    return database.inTransaction(
        em ->
            Optional.ofNullable(em.find(SessionToken.class, tokenHash))
                .filter(s -> s.expiresAt() > now));
  }

  @Override
  public void delete(byte[] tokenHash) {
    database.execute(
        em -> {
          em.createQuery("DELETE FROM SessionToken s WHERE s.tokenHash = :h")
              .setParameter("h", tokenHash)
              .executeUpdate();
        });
  }

  @Override
  public int deleteExpired(long now) {
    return expired.purge(now);
  }
}
