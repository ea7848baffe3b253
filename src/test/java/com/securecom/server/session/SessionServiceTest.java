package com.securecom.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.server.account.Account;
import com.securecom.server.account.Argon2Parameters;
import com.securecom.server.account.JpaAccountRepository;
import com.securecom.server.account.PasswordHasher;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.JpaDeviceRepository;
import com.securecom.server.ratelimit.RateLimitedException;
import com.securecom.server.testing.CountingPasswordHasher;
import com.securecom.server.testing.InMemoryDatabase;
import com.securecom.server.testing.MutableClock;
import com.securecom.server.testing.RecordingEvent;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real service over the real JPA repositories and a fresh in-memory database. */
class SessionServiceTest {
  private static final String PASSWORD = "correct horse battery staple";
  private static final Duration TTL = Duration.ofHours(1);
  private static final int FAILURES_PER_USER = 3;
  private static final int FAILURES_PER_ADDRESS = 5;
  private static final Duration WINDOW = Duration.ofMinutes(15);
  private static final String ADDRESS = "192.0.2.1";

  private final MutableClock clock = MutableClock.atSomeFixedTime();
  private final CountingPasswordHasher hasher = new CountingPasswordHasher();
  private final RecordingEvent<TokenRevoked> revocations = new RecordingEvent<>();
  private InMemoryDatabase db;
  private JpaAccountRepository accounts;
  private SessionService sessions;

  @BeforeEach
  void openDatabase() {
    db = InMemoryDatabase.open();
    accounts = new JpaAccountRepository(db.database());
    sessions = service(hasher, FAILURES_PER_ADDRESS);
    addUser("alice", hasher.hash(PASSWORD));
    addUser("bob", hasher.hash(PASSWORD));
  }

  @AfterEach
  void closeDatabase() {
    db.close();
  }

  @Test
  void login_returnsA43CharacterTokenThatExpiresOneTtlFromNow() {
    LoginResult result = sessions.login("alice", PASSWORD, ADDRESS);

    assertThat(result.token()).hasSize(43).matches("[A-Za-z0-9_-]{43}");
    assertThat(Base64.getUrlDecoder().decode(result.token())).hasSize(32);
    assertThat(result.expiresAt()).isEqualTo(clock.millis() + TTL.toMillis());
    assertThat(result.toString()).doesNotContain(result.token());
  }

  @Test
  void failedLogin_tellsTheAuditLogWhetherTheAccountExists_neverTheClient() {
    InvalidCredentialsException wrongPassword =
        (InvalidCredentialsException)
            catchThrowable(() -> sessions.login("alice", "wrong password!", ADDRESS));
    InvalidCredentialsException noAccount =
        (InvalidCredentialsException)
            catchThrowable(() -> sessions.login("nobody", PASSWORD, "192.0.2.2"));

    assertThat(wrongPassword.accountExists()).isTrue();
    assertThat(noAccount.accountExists()).isFalse();
    assertThat(wrongPassword.getMessage()).isEqualTo(noAccount.getMessage());
  }

  @Test
  void everyLogin_getsItsOwnToken() {
    String first = sessions.login("alice", PASSWORD, ADDRESS).token();
    String second = sessions.login("alice", PASSWORD, ADDRESS).token();

    assertThat(first).isNotEqualTo(second);
    assertThat(sessions.authenticate(first)).isPresent();
    assertThat(sessions.authenticate(second)).isPresent();
  }

  @Test
  void loginAsAnotherDeviceOfTheAccount_givesATokenOfThatDevice() {
    db.addDevice(new DeviceAddress("alice", 2));

    LoginResult result = sessions.login("alice", PASSWORD, 2, ADDRESS);

    assertThat(sessions.authenticate(result.token()).orElseThrow().device())
        .isEqualTo(new DeviceAddress("alice", 2));
  }

  /**
   * The device is checked only after the password: without it, every device id gets the same 401 as
   * a wrong password, after the same hashing work, so nobody learns which devices exist.
   */
  @Test
  void loginAsADeviceTheAccountDoesNotHave_isRefusedAfterThePassword_andLeavesNoToken() {
    Throwable wrongPassword =
        catchThrowable(() -> sessions.login("alice", "wrong password", 2, ADDRESS));
    long verifications = hasher.verifications();
    Throwable rightPassword = catchThrowable(() -> sessions.login("alice", PASSWORD, 2, ADDRESS));

    assertThat(wrongPassword).isInstanceOf(InvalidCredentialsException.class);
    assertThat(rightPassword).isInstanceOf(DeviceRemovedException.class);
    assertThat(hasher.verifications()).isEqualTo(verifications + 1);
    assertThat(db.rows("SELECT COUNT(*) FROM session_token"))
        .extracting(row -> ((Number) row[0]).longValue())
        .containsExactly(0L);
  }

  @Test
  void token_authenticatesItsUser() {
    LoginResult result = sessions.login("alice", PASSWORD, ADDRESS);

    AuthenticatedUser user = sessions.authenticate(result.token()).orElseThrow();

    assertThat(user.device()).isEqualTo(DeviceAddress.first("alice"));
    assertThat(user.username()).isEqualTo("alice");
    assertThat(user.getName()).isEqualTo("alice");
    assertThat(user.tokenHash()).isEqualTo(BearerToken.hash(result.token()));
    assertThat(user.expiresAt()).isEqualTo(result.expiresAt());
  }

  @Test
  void token_authenticatesOnlyUntilItExpires() {
    String token = sessions.login("alice", PASSWORD, ADDRESS).token();

    clock.advance(TTL.minusMillis(1));
    assertThat(sessions.authenticate(token)).isPresent();

    clock.advanceMillis(1);
    assertThat(sessions.authenticate(token)).isEmpty();
  }

  @Test
  void malformedOrUnknownToken_doesNotAuthenticate() {
    sessions.login("alice", PASSWORD, ADDRESS);

    assertThat(sessions.authenticate(null)).isEmpty();
    assertThat(sessions.authenticate("")).isEmpty();
    assertThat(sessions.authenticate("not a token")).isEmpty();
    assertThat(sessions.authenticate("A".repeat(44))).isEmpty();
    assertThat(sessions.authenticate(BearerToken.generate(new SecureRandom()))).isEmpty();
  }

  @Test
  void wrongPassword_and_unknownUser_getTheSameAnswer() {
    int before = hasher.verifications();
    Throwable wrongPassword =
        catchThrowable(() -> sessions.login("alice", "wrong password", ADDRESS));
    int afterWrongPassword = hasher.verifications();
    Throwable unknownUser = catchThrowable(() -> sessions.login("mallory", PASSWORD, ADDRESS));

    assertThat(wrongPassword).isInstanceOf(InvalidCredentialsException.class);
    assertThat(unknownUser).isInstanceOf(InvalidCredentialsException.class);
    assertThat(unknownUser).hasMessage(wrongPassword.getMessage());
    assertThat(afterWrongPassword)
        .as("a wrong password costs a verification")
        .isGreaterThan(before);
    assertThat(hasher.verifications())
        .as("an unknown user costs one too")
        .isGreaterThan(afterWrongPassword);
  }

  @Test
  void failuresForOneUsername_areThrottled_beforeAnyHashing() {
    for (int i = 0; i < FAILURES_PER_USER; i++) {
      assertThatThrownBy(() -> sessions.login("alice", "wrong password", ADDRESS))
          .isInstanceOf(InvalidCredentialsException.class);
    }
    int workBefore = hasher.argon2Work();

    Throwable throttled = catchThrowable(() -> sessions.login("alice", PASSWORD, "198.51.100.7"));

    assertThat(throttled).isInstanceOf(RateLimitedException.class);
    assertThat(((RateLimitedException) throttled).retryAfter())
        .isPositive()
        .isLessThanOrEqualTo(WINDOW);
    assertThat(hasher.argon2Work())
        .as("no Argon2id work for a throttled attempt")
        .isEqualTo(workBefore);
    assertThat(sessions.login("bob", PASSWORD, ADDRESS).token())
        .as("other users are not throttled")
        .isNotNull();
  }

  @Test
  void throttledUsername_mayLogInOnceItsRetryAfterHasPassed() {
    for (int i = 0; i < FAILURES_PER_USER; i++) {
      catchThrowable(() -> sessions.login("alice", "wrong password", ADDRESS));
    }
    RateLimitedException throttled =
        (RateLimitedException) catchThrowable(() -> sessions.login("alice", PASSWORD, ADDRESS));

    clock.advance(throttled.retryAfter());

    assertThat(sessions.authenticate(sessions.login("alice", PASSWORD, ADDRESS).token()))
        .isPresent();
  }

  @Test
  void failuresFromOneAddress_areThrottled_beforeAnyHashing() {
    for (int i = 0; i < FAILURES_PER_ADDRESS; i++) {
      String unknown = "guess" + i;
      assertThatThrownBy(() -> sessions.login(unknown, PASSWORD, ADDRESS))
          .isInstanceOf(InvalidCredentialsException.class);
    }
    int workBefore = hasher.argon2Work();

    Throwable throttled = catchThrowable(() -> sessions.login("alice", PASSWORD, ADDRESS));

    assertThat(throttled).isInstanceOf(RateLimitedException.class);
    assertThat(hasher.argon2Work())
        .as("no Argon2id work for a throttled attempt")
        .isEqualTo(workBefore);
    assertThat(sessions.login("alice", PASSWORD, "198.51.100.7").token())
        .as("the same user from another address is not throttled")
        .isNotNull();
  }

  @Test
  void successfulLogins_doNotUseUpTheFailureAllowance() {
    for (int i = 0; i < FAILURES_PER_USER * 3; i++) {
      assertThat(sessions.login("alice", PASSWORD, ADDRESS).token()).isNotNull();
    }
  }

  @Test
  void logout_stopsTheTokenAuthenticating_andAnnouncesItsHash() {
    String token = sessions.login("alice", PASSWORD, ADDRESS).token();
    String otherSession = sessions.login("alice", PASSWORD, ADDRESS).token();
    AuthenticatedUser user = sessions.authenticate(token).orElseThrow();

    sessions.logout(user);

    assertThat(sessions.authenticate(token)).isEmpty();
    assertThat(sessions.authenticate(otherSession)).as("only the one session ends").isPresent();
    assertThat(revocations.fired())
        .singleElement()
        .satisfies(revoked -> assertThat(revoked.tokenHash()).isEqualTo(BearerToken.hash(token)));
  }

  @Test
  void storedSession_holdsOnlyTheTokensHash() {
    String token = sessions.login("alice", PASSWORD, ADDRESS).token();
    byte[] tokenAscii = token.getBytes(StandardCharsets.US_ASCII);
    byte[] tokenRaw = Base64.getUrlDecoder().decode(token);

    List<Object[]> rows = db.rows("SELECT * FROM session_token");

    assertThat(rows).hasSize(1);
    assertThat(db.rows("SELECT token_hash FROM session_token").get(0)[0])
        .isEqualTo(Bytes.sha256(tokenAscii));
    for (Object column : rows.get(0)) {
      if (column instanceof byte[] bytes) {
        assertThat(Arrays.equals(bytes, tokenAscii) || Arrays.equals(bytes, tokenRaw))
            .as("a column holds the token")
            .isFalse();
      } else {
        assertThat(String.valueOf(column)).doesNotContain(token);
      }
    }
  }

  @Test
  void purgeExpired_deletesExpiredSessions_only() {
    String early = sessions.login("alice", PASSWORD, ADDRESS).token();
    clock.advance(TTL.dividedBy(2));
    String late = sessions.login("bob", PASSWORD, ADDRESS).token();
    clock.advance(TTL.dividedBy(2));

    assertThat(sessions.purgeExpired()).isEqualTo(1);

    assertThat(db.rows("SELECT username FROM session_token"))
        .extracting(row -> row[0])
        .containsExactly("bob");
    assertThat(sessions.authenticate(early)).isEmpty();
    assertThat(sessions.authenticate(late)).isPresent();
    assertThat(sessions.purgeExpired()).isZero();
  }

  @Test
  void loginWithAHashOfOlderParameters_rehashesThePassword() {
    String old = new CountingPasswordHasher(new Argon2Parameters(2048, 1, 1)).hash(PASSWORD);
    addUser("carol", old);

    sessions.login("carol", PASSWORD, ADDRESS);

    String stored = accounts.find("carol").orElseThrow().passwordHash();
    assertThat(stored).isNotEqualTo(old).startsWith("$argon2id$v=19$m=1024,t=1,p=1$");
    assertThat(hasher.verify(PASSWORD, stored)).isTrue();
  }

  /**
   * Attempts that arrive together must not all pass the throttle: each is charged before hashing,
   * so only {@value #FAILURES_PER_USER} reach Argon2id and the rest are refused.
   */
  @Test
  void concurrentWrongPasswords_areThrottledLikeSequentialOnes() throws Exception {
    int attempts = 16;
    CountDownLatch arrivals = new CountDownLatch(attempts);
    PasswordHasher gated =
        new PasswordHasher(CountingPasswordHasher.CHEAP, attempts, new SecureRandom()) {
          @Override
          public boolean verify(String password, String phcHash, boolean priority) {
            arrivals.countDown();
            try {
              arrivals.await(
                  500,
                  TimeUnit
                      .MILLISECONDS); // hold every admitted attempt until the others have arrived
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return super.verify(password, phcHash, priority);
          }
        };
    SessionService service = service(gated, attempts * 2);
    ExecutorService pool = Executors.newFixedThreadPool(attempts);
    List<Throwable> outcomes = new ArrayList<>();
    try {
      List<Future<Throwable>> futures = new ArrayList<>();
      for (int i = 0; i < attempts; i++) {
        String address = "198.51.100." + i;
        futures.add(
            pool.submit(
                () -> catchThrowable(() -> service.login("alice", "wrong password", address))));
      }
      for (Future<Throwable> future : futures) {
        outcomes.add(future.get(30, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(outcomes)
        .filteredOn(InvalidCredentialsException.class::isInstance)
        .hasSize(FAILURES_PER_USER);
    assertThat(outcomes)
        .filteredOn(RateLimitedException.class::isInstance)
        .hasSize(attempts - FAILURES_PER_USER);
  }

  private SessionService service(PasswordHasher passwords, int failuresPerAddress) {
    LoginThrottle throttle =
        new LoginThrottle(
            new LoginThrottle.Settings(
                FAILURES_PER_USER,
                Duration.ofSeconds(1),
                WINDOW,
                WINDOW,
                FAILURES_PER_USER,
                failuresPerAddress,
                1,
                32,
                64,
                Duration.ofDays(30),
                1000),
            clock);
    return new SessionService(
        accounts,
        new JpaDeviceRepository(db.database()),
        new JpaSessionRepository(db.database()),
        passwords,
        new SecureRandom(),
        clock,
        revocations,
        TTL,
        throttle);
  }

  /**
   * Finding 4 of issue 10: others' failures from other addresses never lock the user out of its own
   * address.
   */
  @Test
  void othersFailures_neverLockTheUserOutOfAnAddressItLoggedInFrom() {
    sessions.login("alice", PASSWORD, ADDRESS);
    for (int i = 0; i < 20; i++) {
      String attacker = "203.0.113." + i;
      catchThrowable(() -> sessions.login("alice", "wrong password", attacker));
    }
    assertThat(catchThrowable(() -> sessions.login("alice", PASSWORD, "198.51.100.7")))
        .as("a new address waits while alice is under attack")
        .isInstanceOf(RateLimitedException.class);

    assertThat(sessions.login("alice", PASSWORD, ADDRESS).token()).isNotNull();
  }

  @Test
  void registrationAddress_isKnownForTheNewUser() {
    for (int i = 0; i < 20; i++) {
      String attacker = "203.0.113." + i;
      catchThrowable(() -> sessions.login("bob", "wrong password", attacker));
    }
    sessions.registered(new com.securecom.server.account.AccountRegistered("bob", "198.51.100.9"));

    assertThat(sessions.login("bob", PASSWORD, "198.51.100.9").token()).isNotNull();
  }

  @Test
  void passwordOver128Characters_isAWrongPassword_afterTheSameWork() {
    String longer = PASSWORD + "x".repeat(129 - PASSWORD.length());
    addUser("dora", hasher.hash(longer.substring(0, 128)));
    int before = hasher.verifications();

    Throwable refused = catchThrowable(() -> sessions.login("dora", longer, ADDRESS));

    assertThat(refused).isInstanceOf(InvalidCredentialsException.class);
    assertThat(hasher.verifications())
        .as("the same Argon2id work as a wrong password")
        .isEqualTo(before + 1);
  }

  /** An account and its device 1, as registration leaves them: a token belongs to a device. */
  private void addUser(String username, String passwordHash) {
    JpaDeviceRepository devices = new JpaDeviceRepository(db.database());
    db.database()
        .atomically(
            tx -> {
              assertThat(accounts.add(tx, new Account(username, passwordHash, clock.millis())))
                  .isTrue();
              assertThat(devices.add(tx, DeviceAddress.first(username), clock.millis())).isTrue();
            });
  }
}
