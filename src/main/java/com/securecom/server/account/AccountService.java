package com.securecom.server.account;

import com.securecom.server.keys.KeyRegistry;
import com.securecom.server.persistence.Database;
import com.securecom.server.ratelimit.KeyedRateLimiter;
import com.securecom.server.ratelimit.RateLimitedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Registers accounts. The account and its published keys are written in one transaction: a registration either
 * leaves a usable account or nothing; of two racing for one name, one wins and the other is told it is taken.
 * Registrations are throttled per client address before any hashing.
 */
@ApplicationScoped
public class AccountService {
  private AccountRepository accounts;
  private KeyRegistry keys;
  private PasswordHasher hasher;
  private Database database;
  private Clock clock;
  private KeyedRateLimiter perAddress;

  protected AccountService() {}

  @Inject
  public AccountService(AccountRepository accounts, KeyRegistry keys, PasswordHasher hasher, Database database,
      Clock clock,
      @ConfigProperty(name = "securecom.register.per-address", defaultValue = "20") int perAddress,
      @ConfigProperty(name = "securecom.register.window", defaultValue = "PT1H") Duration window) {
    this.accounts = accounts;
    this.keys = keys;
    this.hasher = hasher;
    this.database = database;
    this.clock = clock;
    this.perAddress = new KeyedRateLimiter(perAddress, window, clock);
  }

  public void register(NewAccount request, String clientAddress) {
    if (accounts.exists(request.username())) {
      throw new UsernameTakenException();
    }
    if (!perAddress.tryTake(clientAddress)) {
      throw new RateLimitedException(perAddress.waitTime(clientAddress));
    }
    String hash = hasher.hash(request.password());
    try {
      database.execute(em -> {
        if (!accounts.add(new Account(request.username(), hash, clock.millis()))) {
          throw new UsernameTakenException();
        }
        keys.publish(request.username(), request.identity(), request.signedPreKey(), request.oneTimePreKeys());
      });
    } catch (PersistenceException e) {
      if (accounts.exists(request.username())) {
        throw new UsernameTakenException();
      }
      throw e;
    }
  }

  public boolean exists(String username) {
    return accounts.exists(username);
  }
}
