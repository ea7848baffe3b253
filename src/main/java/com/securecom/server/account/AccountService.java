package com.securecom.server.account;

import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DeviceRepository;
import com.securecom.server.keys.KeyRegistry;
import com.securecom.server.persistence.Database;
import com.securecom.server.ratelimit.KeyedRateLimiter;
import com.securecom.server.ratelimit.RateLimitedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Registers accounts. The account, its first device (device 1) and their published keys are written
 * in one transaction: a registration either leaves a usable account or nothing; of two racing for
 * one name, one wins and the other is told it is taken.
 *
 * <p>Order, cheapest and least revealing first: the keys' signatures and shapes (400s that say
 * nothing about other users), then the per-address limit (every attempt counts, taken names
 * included, so the 409 is no unlimited test of which usernames exist), then whether the name is
 * taken, and only then the Argon2id hash.
 */
@ApplicationScoped
public class AccountService {
  private AccountRepository accounts;
  private DeviceRepository devices;
  private KeyRegistry keys;
  private PasswordHasher hasher;
  private Database database;
  private Clock clock;
  private KeyedRateLimiter perAddress;
  private Event<AccountRegistered> registered;

  protected AccountService() {}

  @Inject
  public AccountService(
      AccountRepository accounts,
      DeviceRepository devices,
      KeyRegistry keys,
      PasswordHasher hasher,
      Database database,
      Clock clock,
      Event<AccountRegistered> registered,
      @ConfigProperty(name = "securecom.register.per-address", defaultValue = "20") int perAddress,
      @ConfigProperty(name = "securecom.register.window", defaultValue = "PT1H") Duration window) {
    this.accounts = accounts;
    this.devices = devices;
    this.keys = keys;
    this.hasher = hasher;
    this.database = database;
    this.clock = clock;
    this.registered = registered;
    this.perAddress = new KeyedRateLimiter(perAddress, window, clock);
  }

  public void register(NewAccount request, String clientAddress) {
    keys.checkPublishable(request.identity(), request.signedPreKey(), request.oneTimePreKeys());
    if (!perAddress.tryTake(clientAddress)) {
      throw new RateLimitedException(perAddress.waitTime(clientAddress));
    }
    if (accounts.exists(request.username())) {
      throw new UsernameTakenException();
    }
    String hash = hasher.hash(request.password());
    try {
      database.atomically(
          tx -> {
            long now = clock.millis();
            if (!accounts.add(tx, new Account(request.username(), hash, now))) {
              throw new UsernameTakenException();
            }
            DeviceAddress first = DeviceAddress.first(request.username());
            devices.add(tx, first, now);
            keys.publish(
                tx, first, request.identity(), request.signedPreKey(), request.oneTimePreKeys());
          });
    } catch (PersistenceException e) {
      if (accounts.exists(request.username())) {
        throw new UsernameTakenException();
      }
      throw e;
    }
    registered.fire(new AccountRegistered(request.username(), clientAddress));
  }

  public boolean exists(String username) {
    return accounts.exists(username);
  }

  /** Housekeeping: forgets refilled per-address buckets. */
  public void evictIdle() {
    perAddress.evictIdle();
  }
}
