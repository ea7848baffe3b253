package com.securecom.server.session;

import com.securecom.protocol.Usernames;
import com.securecom.server.account.Account;
import com.securecom.server.account.AccountRegistered;
import com.securecom.server.account.AccountRepository;
import com.securecom.server.account.PasswordHasher;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DeviceRepository;
import com.securecom.server.persistence.Transaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Logs users in and out and authenticates bearer tokens.
 *
 * <p>Login goes through the {@link LoginThrottle} before any hashing (backoff per username and
 * address, limits on unknown addresses), so a throttled attacker costs the server nothing and
 * cannot lock the real user out of an address it is known to use. An unknown username, one that
 * cannot exist, and a password over {@link #MAX_PASSWORD_LENGTH} characters cost the same Argon2id
 * work as a wrong password and get the same {@link InvalidCredentialsException}, so neither the
 * answer nor its timing tells whether a user exists.
 */
@ApplicationScoped
public class SessionService {
  /**
   * The longest password a login checks; a longer one is hashed (truncated, for equal work) and
   * refused.
   */
  public static final int MAX_PASSWORD_LENGTH = 128;

  private AccountRepository accounts;
  private DeviceRepository devices;
  private SessionRepository sessions;
  private PasswordHasher hasher;
  private SecureRandom random;
  private Clock clock;
  private Duration tokenLifetime;
  private LoginThrottle throttle;
  private Event<TokenRevoked> revocations;

  protected SessionService() {}

  @Inject
  public SessionService(
      AccountRepository accounts,
      DeviceRepository devices,
      SessionRepository sessions,
      PasswordHasher hasher,
      SecureRandom random,
      Clock clock,
      Event<TokenRevoked> revocations,
      @ConfigProperty(name = "securecom.session.ttl", defaultValue = "PT24H")
          Duration tokenLifetime,
      @ConfigProperty(name = "securecom.login.free-failures", defaultValue = "5") int freeFailures,
      @ConfigProperty(name = "securecom.login.backoff-base", defaultValue = "PT1S")
          Duration baseDelay,
      @ConfigProperty(name = "securecom.login.backoff-max", defaultValue = "PT15M")
          Duration maxDelay,
      @ConfigProperty(name = "securecom.login.failure-window", defaultValue = "PT15M")
          Duration window,
      @ConfigProperty(name = "securecom.login.failures-per-user", defaultValue = "10") int perUser,
      @ConfigProperty(name = "securecom.login.failures-per-address", defaultValue = "50")
          int perAddress,
      @ConfigProperty(name = "securecom.login.in-flight-per-address", defaultValue = "1")
          int inFlight,
      @ConfigProperty(name = "securecom.login.queued-per-address", defaultValue = "4") int queued,
      @ConfigProperty(name = "securecom.login.queued-total", defaultValue = "64") int queuedTotal,
      @ConfigProperty(name = "securecom.login.known-address-ttl", defaultValue = "P30D")
          Duration knownFor,
      @ConfigProperty(name = "securecom.login.max-known-addresses", defaultValue = "100000")
          int maxKnown) {
    this(
        accounts,
        devices,
        sessions,
        hasher,
        random,
        clock,
        revocations,
        tokenLifetime,
        new LoginThrottle(
            new LoginThrottle.Settings(
                freeFailures,
                baseDelay,
                maxDelay,
                window,
                perUser,
                perAddress,
                inFlight,
                queued,
                queuedTotal,
                knownFor,
                maxKnown),
            clock));
  }

  public SessionService(
      AccountRepository accounts,
      DeviceRepository devices,
      SessionRepository sessions,
      PasswordHasher hasher,
      SecureRandom random,
      Clock clock,
      Event<TokenRevoked> revocations,
      Duration tokenLifetime,
      LoginThrottle throttle) {
    this.accounts = accounts;
    this.devices = devices;
    this.sessions = sessions;
    this.hasher = hasher;
    this.random = random;
    this.clock = clock;
    this.revocations = revocations;
    this.tokenLifetime = tokenLifetime;
    this.throttle = throttle;
  }

  /** Logs in as the account's device 1, the one that registered it. */
  public LoginResult login(String username, String password, String clientAddress) {
    return login(username, password, DeviceAddress.FIRST_ID, clientAddress);
  }

  /**
   * Logs in as device {@code deviceId} of the account. Every attempt is charged to the throttle
   * before any hashing and forgiven only if the password is right. Whether the account has that
   * device is checked only then ({@link DeviceRemovedException}), so the answer says nothing about
   * an account's devices to anyone without its password.
   */
  public LoginResult login(String username, String password, int deviceId, String clientAddress) {
    String storedHash;
    try (LoginThrottle.Attempt attempt = throttle.begin(username, clientAddress)) {
      boolean urgent = attempt.trusted();
      Optional<Account> account =
          Usernames.isValid(username) ? accounts.find(username) : Optional.empty();
      if (account.isEmpty()
          || password.codePointCount(0, password.length()) > MAX_PASSWORD_LENGTH) {
        hasher.verifyDummy(truncated(password), urgent);
        throw new InvalidCredentialsException(account.isPresent());
      }
      storedHash = account.get().passwordHash();
      if (!hasher.verify(password, storedHash, urgent)) {
        throw new InvalidCredentialsException(true);
      }
      attempt.succeeded();
    }
    DeviceAddress device = new DeviceAddress(username, deviceId);
    if (!devices.deviceIds(username).contains(deviceId)) {
      throw new DeviceRemovedException();
    }
    if (hasher.needsRehash(storedHash)) {
      accounts.updatePasswordHash(username, hasher.hash(password));
    }
    String token = BearerToken.generate(random);
    long now = clock.millis();
    long expiresAt = now + tokenLifetime.toMillis();
    sessions.add(new SessionToken(BearerToken.hash(token), device, now, expiresAt));
    return new LoginResult(token, expiresAt);
  }

  /**
   * A session for {@code device}, created in {@code tx} with the device itself (a newly linked
   * device's first token: it proved itself with a linking ticket, not a password).
   */
  public LoginResult issue(Transaction tx, DeviceAddress device) {
    String token = BearerToken.generate(random);
    long now = clock.millis();
    long expiresAt = now + tokenLifetime.toMillis();
    sessions.add(tx, new SessionToken(BearerToken.hash(token), device, now, expiresAt));
    return new LoginResult(token, expiresAt);
  }

  private static String truncated(String password) {
    return password.codePointCount(0, password.length()) > MAX_PASSWORD_LENGTH
        ? password.substring(0, password.offsetByCodePoints(0, MAX_PASSWORD_LENGTH))
        : password;
  }

  /** A new account's registration address is known for it (see {@link LoginThrottle}). */
  void registered(@Observes AccountRegistered registration) {
    throttle.remember(registration.username(), registration.clientAddress());
  }

  /** The device of a valid, unexpired token. */
  public Optional<AuthenticatedUser> authenticate(String token) {
    if (!BearerToken.isWellFormed(token)) {
      return Optional.empty();
    }
    byte[] hash = BearerToken.hash(token);
    return sessions
        .findValid(hash, clock.millis())
        .map(s -> new AuthenticatedUser(s.device(), hash, s.expiresAt()));
  }

  /** Ends the session everywhere: REST calls fail from now on and its open connection is closed. */
  public void logout(AuthenticatedUser user) {
    sessions.delete(user.tokenHash());
    revocations.fire(new TokenRevoked(user.tokenHash()));
  }

  /** Housekeeping: forgets expired sessions and refilled throttle buckets. */
  public int purgeExpired() {
    throttle.evictIdle();
    return sessions.deleteExpired(clock.millis());
  }
}
