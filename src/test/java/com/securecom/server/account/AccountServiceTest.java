package com.securecom.server.account;

import static com.securecom.server.device.DeviceAddress.first;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.securecom.protocol.crypto.Ed25519;
import com.securecom.server.device.JpaDeviceRepository;
import com.securecom.server.keys.IdentityKeys;
import com.securecom.server.keys.InvalidKeySignatureException;
import com.securecom.server.keys.JpaKeyRepository;
import com.securecom.server.keys.KeyRegistry;
import com.securecom.server.keys.OneTimePreKey;
import com.securecom.server.keys.PreKeyBundle;
import com.securecom.server.keys.PreKeyPoolException;
import com.securecom.server.keys.SignedPreKey;
import com.securecom.server.ratelimit.RateLimitedException;
import com.securecom.server.testing.CountingPasswordHasher;
import com.securecom.server.testing.InMemoryDatabase;
import com.securecom.server.testing.MutableClock;
import com.securecom.server.testing.RecordingEvent;
import com.securecom.server.testing.TestKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real service, registry and JPA repositories over a fresh in-memory database. */
class AccountServiceTest {
  private static final String PASSWORD = "correct horse battery staple";
  private static final String ADDRESS = "192.0.2.1";
  private static final int MAX_ONE_TIME_PREKEYS = 10;
  private static final int REGISTRATIONS_PER_ADDRESS = 3;

  private final MutableClock clock = MutableClock.atSomeFixedTime();
  private final CountingPasswordHasher hasher = new CountingPasswordHasher();
  private final RecordingEvent<AccountRegistered> registered = new RecordingEvent<>();
  private InMemoryDatabase db;
  private JpaAccountRepository accounts;
  private KeyRegistry keys;
  private AccountService service;

  @BeforeEach
  void openDatabase() {
    db = InMemoryDatabase.open();
    accounts = new JpaAccountRepository(db.database());
    keys =
        new KeyRegistry(
            new JpaKeyRepository(db.database(), new JpaDeviceRepository(db.database())),
            clock,
            new RecordingEvent<>(),
            MAX_ONE_TIME_PREKEYS,
            0);
    service =
        new AccountService(
            accounts,
            new JpaDeviceRepository(db.database()),
            keys,
            hasher,
            db.database(),
            clock,
            registered,
            REGISTRATIONS_PER_ADDRESS,
            Duration.ofHours(1));
  }

  @AfterEach
  void closeDatabase() {
    db.close();
  }

  @Test
  void registration_storesTheAccountItsIdentityKeyAndItsBundle() {
    Ed25519.KeyPair identity = TestKeys.identity();
    SignedPreKey signedPreKey = TestKeys.signedPreKey(identity, 7);
    List<OneTimePreKey> oneTimePreKeys = TestKeys.oneTimePreKeys(1, 3);

    service.register(
        new NewAccount(
            "alice", PASSWORD, TestKeys.published(identity), signedPreKey, oneTimePreKeys),
        ADDRESS);

    assertThat(service.exists("alice")).isTrue();
    Account account = accounts.find("alice").orElseThrow();
    assertThat(account.passwordHash()).doesNotContain(PASSWORD);
    assertThat(hasher.verify(PASSWORD, account.passwordHash())).isTrue();
    assertThat(db.rows("SELECT created_at FROM account WHERE username = ?1", "alice"))
        .extracting(row -> ((Number) row[0]).longValue())
        .containsExactly(clock.millis());
    assertThat(keys.identityKeys("alice").map(IdentityKeys::signingKey))
        .hasValueSatisfying(k -> assertThat(k).isEqualTo(identity.publicKey()));
    assertThat(keys.oneTimePreKeyCount(first("alice"))).isEqualTo(3);

    PreKeyBundle bundle = keys.bundleFor(first("alice"));
    assertThat(bundle.identity().signingKey()).isEqualTo(identity.publicKey());
    assertThat(bundle.identity().dhKeyIsSigned()).isTrue();
    assertThat(bundle.signedPreKey().keyId()).isEqualTo(7);
    assertThat(bundle.signedPreKey().publicKey()).isEqualTo(signedPreKey.publicKey());
    assertThat(bundle.signedPreKey().signature()).isEqualTo(signedPreKey.signature());
    assertThat(bundle.oneTimePreKey())
        .hasValueSatisfying(
            k ->
                assertThat(oneTimePreKeys)
                    .anySatisfy(
                        uploaded -> {
                          assertThat(uploaded.keyId()).isEqualTo(k.keyId());
                          assertThat(uploaded.publicKey()).isEqualTo(k.publicKey());
                        }));
  }

  @Test
  void registration_withoutOneTimePreKeys_isAccepted() {
    service.register(registration("alice", TestKeys.identity(), 0), ADDRESS);

    assertThat(keys.bundleFor(first("alice")).oneTimePreKey()).isEmpty();
  }

  @Test
  void takenUsername_isRefused_andTheFirstAccountKeepsItsKeys() {
    Ed25519.KeyPair first = TestKeys.identity();
    service.register(registration("alice", first, 2), ADDRESS);

    assertThatThrownBy(
            () -> service.register(registration("alice", TestKeys.identity(), 5), "198.51.100.7"))
        .isInstanceOf(UsernameTakenException.class);

    assertThat(keys.identityKeys("alice").map(IdentityKeys::signingKey))
        .hasValueSatisfying(k -> assertThat(k).isEqualTo(first.publicKey()));
    assertThat(keys.oneTimePreKeyCount(first("alice"))).isEqualTo(2);
  }

  @Test
  void badSignedPreKeySignature_isRefused_andLeavesNoAccountBehind() {
    Ed25519.KeyPair identity = TestKeys.identity();
    SignedPreKey signedByAnotherKey = TestKeys.signedPreKey(TestKeys.identity(), 1);

    assertThatThrownBy(
            () ->
                service.register(
                    new NewAccount(
                        "alice",
                        PASSWORD,
                        TestKeys.published(identity),
                        signedByAnotherKey,
                        TestKeys.oneTimePreKeys(1, 3)),
                    ADDRESS))
        .isInstanceOf(InvalidKeySignatureException.class);

    assertNothingStoredFor("alice");
    service.register(registration("alice", identity, 3), ADDRESS);
    assertThat(service.exists("alice")).as("the name is still free").isTrue();
  }

  @Test
  void tamperedSignedPreKey_isRefused_andLeavesNoAccountBehind() {
    Ed25519.KeyPair identity = TestKeys.identity();
    SignedPreKey genuine = TestKeys.signedPreKey(identity, 1);
    byte[] otherPublicKey = genuine.publicKey().clone();
    otherPublicKey[0] ^= 1;
    SignedPreKey tampered =
        new SignedPreKey(1, otherPublicKey, genuine.createdAt(), genuine.signature());

    assertThatThrownBy(
            () ->
                service.register(
                    new NewAccount(
                        "alice", PASSWORD, TestKeys.published(identity), tampered, List.of()),
                    ADDRESS))
        .isInstanceOf(InvalidKeySignatureException.class);

    assertNothingStoredFor("alice");
  }

  @Test
  void tooManyOneTimePreKeys_areRefused_andLeaveNoAccountBehind() {
    assertThatThrownBy(
            () ->
                service.register(
                    registration("alice", TestKeys.identity(), MAX_ONE_TIME_PREKEYS + 1), ADDRESS))
        .isInstanceOfSatisfying(
            PreKeyPoolException.class, e -> assertThat(e.isConflict()).isFalse());

    assertNothingStoredFor("alice");
  }

  @Test
  void registrations_areThrottledPerAddress_beforeAnyHashing() {
    for (int i = 0; i < REGISTRATIONS_PER_ADDRESS; i++) {
      service.register(registration("user" + i, TestKeys.identity(), 1), ADDRESS);
    }
    int hashesBefore = hasher.hashes();

    assertThatThrownBy(
            () -> service.register(registration("onetoomany", TestKeys.identity(), 1), ADDRESS))
        .isInstanceOfSatisfying(
            RateLimitedException.class, e -> assertThat(e.retryAfter()).isPositive());

    assertThat(hasher.hashes())
        .as("no Argon2id work for a throttled registration")
        .isEqualTo(hashesBefore);
    assertNothingStoredFor("onetoomany");
    service.register(registration("onetoomany", TestKeys.identity(), 1), "198.51.100.7");
    assertThat(service.exists("onetoomany")).as("other addresses are not throttled").isTrue();
  }

  /** Issue 10, finding 7: registration hashed the password before checking the signatures. */
  @Test
  void badSignatures_areRefused_beforeAnyHashing() {
    Ed25519.KeyPair identity = TestKeys.identity();
    int hashesBefore = hasher.hashes();

    catchThrowable(
        () ->
            service.register(
                new NewAccount(
                    "alice",
                    PASSWORD,
                    TestKeys.published(identity),
                    TestKeys.signedPreKey(TestKeys.identity(), 1),
                    List.of()),
                ADDRESS));
    IdentityKeys other = TestKeys.published(TestKeys.identity());
    catchThrowable(
        () ->
            service.register(
                new NewAccount(
                    "alice",
                    PASSWORD,
                    new IdentityKeys(identity.publicKey(), other.dhKey(), other.dhSignature()),
                    TestKeys.signedPreKey(identity, 1),
                    List.of()),
                ADDRESS));
    catchThrowable(
        () -> service.register(registration("alice", identity, MAX_ONE_TIME_PREKEYS + 1), ADDRESS));

    assertThat(hasher.hashes())
        .as("no Argon2id work for a registration refused for its keys")
        .isEqualTo(hashesBefore);
  }

  /**
   * Issue 10, finding 3: a taken name was answered 409 before the per-address limit (an unlimited
   * oracle).
   */
  @Test
  void takenUsernames_countAgainstTheAddressLimit_soTheyAreNoUnlimitedOracle() {
    service.register(registration("alice", TestKeys.identity(), 0), "198.51.100.1");
    for (int i = 0; i < REGISTRATIONS_PER_ADDRESS; i++) {
      assertThat(
              catchThrowable(
                  () -> service.register(registration("alice", TestKeys.identity(), 0), ADDRESS)))
          .isInstanceOf(UsernameTakenException.class);
    }

    assertThat(
            catchThrowable(
                () -> service.register(registration("alice", TestKeys.identity(), 0), ADDRESS)))
        .as("the limit comes before the answer that tells whether the name exists")
        .isInstanceOf(RateLimitedException.class);
  }

  @Test
  void registration_announcesItsAddress_forTheLoginThrottle() {
    service.register(registration("alice", TestKeys.identity(), 0), ADDRESS);

    assertThat(registered.fired()).containsExactly(new AccountRegistered("alice", ADDRESS));
  }

  @Test
  void throttledAddress_mayRegisterAgainOnceItsRetryAfterHasPassed() {
    for (int i = 0; i < REGISTRATIONS_PER_ADDRESS; i++) {
      service.register(registration("user" + i, TestKeys.identity(), 0), ADDRESS);
    }
    RateLimitedException throttled =
        (RateLimitedException)
            catchThrowable(
                () -> service.register(registration("later", TestKeys.identity(), 0), ADDRESS));

    clock.advance(throttled.retryAfter());
    service.register(registration("later", TestKeys.identity(), 0), ADDRESS);

    assertThat(service.exists("later")).isTrue();
  }

  /**
   * Two registrations of one name that both pass the {@code exists} check race to insert; the
   * loser's primary-key violation escapes as a {@code PersistenceException} (a 500) instead of
   * {@link UsernameTakenException} (a 409).
   */
  @Test
  void concurrentRegistrationsOfOneName_oneWins_andTheOthersAreToldItIsTaken() throws Exception {
    int racers = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    List<Throwable> outcomes = new ArrayList<>();
    try {
      List<Future<Throwable>> futures = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        String address = "198.51.100." + i;
        NewAccount account = registration("alice", TestKeys.identity(), 2);
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return catchThrowable(() -> service.register(account, address));
                }));
      }
      start.countDown();
      for (Future<Throwable> future : futures) {
        outcomes.add(future.get(30, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(outcomes).filteredOn(Objects::isNull).hasSize(1);
    assertThat(outcomes)
        .filteredOn(Objects::nonNull)
        .hasSize(racers - 1)
        .allMatch(UsernameTakenException.class::isInstance);
    assertThat(keys.oneTimePreKeyCount(first("alice"))).isEqualTo(2);
  }

  private static NewAccount registration(
      String username, Ed25519.KeyPair identity, int oneTimePreKeys) {
    return new NewAccount(
        username,
        PASSWORD,
        TestKeys.published(identity),
        TestKeys.signedPreKey(identity, 1),
        TestKeys.oneTimePreKeys(1, oneTimePreKeys));
  }

  private void assertNothingStoredFor(String username) {
    assertThat(service.exists(username)).isFalse();
    assertThat(keys.identityKeys(username)).isEmpty();
    for (String table :
        List.of(
            "account",
            "device",
            "identity_key",
            "device_signed_prekey",
            "device_one_time_prekey")) {
      assertThat(db.rows("SELECT COUNT(*) FROM " + table + " WHERE username = ?1", username))
          .extracting(row -> ((Number) row[0]).longValue())
          .as(table)
          .containsExactly(0L);
    }
  }
}
