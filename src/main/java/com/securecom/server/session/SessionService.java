package com.securecom.server.session;

import com.securecom.server.account.Account;
import com.securecom.server.account.AccountRepository;
import com.securecom.server.account.PasswordHasher;
import com.securecom.server.ratelimit.KeyedRateLimiter;
import com.securecom.server.ratelimit.RateLimitedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Logs users in and out and authenticates bearer tokens.
 *
 * <p>Login charges the failure throttles (per username and per client address) before any hashing, so a throttled
 * attacker costs the server nothing. An unknown username costs the same Argon2id work as a wrong password and gets
 * the same {@link InvalidCredentialsException}, so neither the answer nor its timing tells whether a user exists.
 */
@ApplicationScoped
public class SessionService {
  private AccountRepository accounts;
  private SessionRepository sessions;
  private PasswordHasher hasher;
  private SecureRandom random;
  private Clock clock;
  private Duration tokenLifetime;
  private KeyedRateLimiter failuresPerUser;
  private KeyedRateLimiter failuresPerAddress;
  private Event<TokenRevoked> revocations;

  protected SessionService() {}

  @Inject
  public SessionService(AccountRepository accounts, SessionRepository sessions, PasswordHasher hasher,
      SecureRandom random, Clock clock, Event<TokenRevoked> revocations,
      @ConfigProperty(name = "securecom.session.ttl", defaultValue = "PT24H") Duration tokenLifetime,
      @ConfigProperty(name = "securecom.login.failures-per-user", defaultValue = "5") int perUser,
      @ConfigProperty(name = "securecom.login.failures-per-address", defaultValue = "50") int perAddress,
      @ConfigProperty(name = "securecom.login.failure-window", defaultValue = "PT15M") Duration window) {
    this.accounts = accounts;
    this.sessions = sessions;
    this.hasher = hasher;
    this.random = random;
    this.clock = clock;
    this.revocations = revocations;
    this.tokenLifetime = tokenLifetime;
    this.failuresPerUser = new KeyedRateLimiter(perUser, window, clock);
    this.failuresPerAddress = new KeyedRateLimiter(perAddress, window, clock);
  }

  /**
   * Every attempt takes a token from both throttles before any hashing (so concurrent attempts cannot all slip
   * through); a successful login gives them back, so only failures count.
   */
  public LoginResult login(String username, String password, String clientAddress) {
    if (!failuresPerUser.tryTake(username)) {
      throw new RateLimitedException(failuresPerUser.waitTime(username));
    }
    if (!failuresPerAddress.tryTake(clientAddress)) {
      failuresPerUser.giveBack(username);
      throw new RateLimitedException(failuresPerAddress.waitTime(clientAddress));
    }
    Optional<Account> account = accounts.find(username);
    if (account.isEmpty()) {
      hasher.verifyDummy(password);
      throw new InvalidCredentialsException();
    }
    String storedHash = account.get().passwordHash();
    if (!hasher.verify(password, storedHash)) {
      throw new InvalidCredentialsException();
    }
    failuresPerUser.giveBack(username);
    failuresPerAddress.giveBack(clientAddress);
    if (hasher.needsRehash(storedHash)) {
      accounts.updatePasswordHash(username, hasher.hash(password));
    }
    String token = BearerToken.generate(random);
    long now = clock.millis();
    long expiresAt = now + tokenLifetime.toMillis();
    sessions.add(new SessionToken(BearerToken.hash(token), username, now, expiresAt));
    return new LoginResult(token, expiresAt);
  }

  /** The user of a valid, unexpired token. */
  public Optional<AuthenticatedUser> authenticate(String token) {
    if (!BearerToken.isWellFormed(token)) {
      return Optional.empty();
    }
    byte[] hash = BearerToken.hash(token);
    return sessions.findValid(hash, clock.millis())
        .map(s -> new AuthenticatedUser(s.username(), hash, s.expiresAt()));
  }

  /** Ends the session everywhere: REST calls fail from now on and its open connection is closed. */
  public void logout(AuthenticatedUser user) {
    sessions.delete(user.tokenHash());
    revocations.fire(new TokenRevoked(user.tokenHash()));
  }

  /** Housekeeping: forgets expired sessions and refilled throttle buckets. */
  public int purgeExpired() {
    failuresPerUser.evictIdle();
    failuresPerAddress.evictIdle();
    return sessions.deleteExpired(clock.millis());
  }
}
