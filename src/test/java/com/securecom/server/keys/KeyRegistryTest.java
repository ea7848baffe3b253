package com.securecom.server.keys;

import static com.securecom.server.device.DeviceAddress.first;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.Ed25519;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.testing.InMemoryDatabase;
import com.securecom.server.testing.MutableClock;
import com.securecom.server.testing.RecordingEvent;
import com.securecom.server.testing.TestKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real registry over the real JPA repository and a fresh in-memory database. */
class KeyRegistryTest {
  private static final int MAX_ONE_TIME_PREKEYS = 60;

  private static final int LOW_WATER = 3;

  private final MutableClock clock = MutableClock.atSomeFixedTime();
  private final RecordingEvent<PreKeyPoolLow> poolLow = new RecordingEvent<>();
  private InMemoryDatabase db;
  private KeyRegistry registry;

  @BeforeEach
  void openDatabase() {
    db = InMemoryDatabase.open();
    registry =
        new KeyRegistry(
            new JpaKeyRepository(db.database()), clock, poolLow, MAX_ONE_TIME_PREKEYS, LOW_WATER);
  }

  @AfterEach
  void closeDatabase() {
    db.close();
  }

  @Test
  void bundle_holdsTheIdentityKeyAndSignedPreKey() {
    Ed25519.KeyPair identity = TestKeys.identity();
    SignedPreKey signedPreKey = TestKeys.signedPreKey(identity, 42);
    db.addAccount("alice");
    db.database()
        .atomically(
            tx ->
                registry.publish(
                    tx, first("alice"), TestKeys.published(identity), signedPreKey, List.of()));

    PreKeyBundle bundle = registry.bundleFor(first("alice"));

    assertThat(bundle.identity().signingKey()).isEqualTo(identity.publicKey());
    assertThat(bundle.identity().dhKeyIsSigned()).isTrue();
    assertThat(bundle.signedPreKey().keyId()).isEqualTo(42);
    assertThat(bundle.signedPreKey().publicKey()).isEqualTo(signedPreKey.publicKey());
    assertThat(bundle.signedPreKey().isSignedBy(identity.publicKey())).isTrue();
    assertThat(bundle.oneTimePreKey()).as("the pool is empty").isEmpty();
  }

  /** Issue 10, finding 2: the owner refilled only at its next connection. */
  @Test
  void fetchThatLeavesThePoolBelowTheLowWaterMark_tellsTheOwner() {
    publish("alice", TestKeys.oneTimePreKeys(1, 5));

    registry.bundleFor(first("alice"));
    registry.bundleFor(first("alice"));
    assertThat(poolLow.fired()).as("3 left: not below the mark").isEmpty();
    registry.bundleFor(first("alice"));
    registry.bundleFor(first("alice"));
    registry.bundleFor(first("alice"));
    registry.bundleFor(first("alice"));

    assertThat(poolLow.fired())
        .containsExactly(
            new PreKeyPoolLow(first("alice"), 2),
            new PreKeyPoolLow(first("alice"), 1),
            new PreKeyPoolLow(first("alice"), 0),
            new PreKeyPoolLow(first("alice"), 0));
  }

  @Test
  void bundleWithoutAOneTimePreKey_leavesThePoolAlone() {
    publish("alice", TestKeys.oneTimePreKeys(1, 2));

    assertThat(registry.bundleFor(first("alice"), false).oneTimePreKey()).isEmpty();

    assertThat(registry.oneTimePreKeyCount(first("alice"))).isEqualTo(2);
    assertThat(poolLow.fired()).isEmpty();
  }

  @Test
  void eachOneTimePreKey_isHandedOutAtMostOnce_thenBundlesComeWithout() {
    List<OneTimePreKey> uploaded = TestKeys.oneTimePreKeys(1, 3);
    publish("alice", uploaded);

    List<OneTimePreKey> handedOut = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      handedOut.add(registry.bundleFor(first("alice")).oneTimePreKey().orElseThrow());
    }

    assertThat(handedOut).extracting(OneTimePreKey::keyId).containsExactlyInAnyOrder(1L, 2L, 3L);
    for (OneTimePreKey key : handedOut) {
      assertThat(key.publicKey()).isEqualTo(uploaded.get((int) key.keyId() - 1).publicKey());
    }
    assertThat(registry.oneTimePreKeyCount(first("alice"))).isZero();
    PreKeyBundle exhausted = registry.bundleFor(first("alice"));
    assertThat(exhausted.oneTimePreKey()).isEmpty();
    assertThat(exhausted.signedPreKey()).isNotNull();
  }

  @Test
  void oneUsersBundle_doesNotConsumeAnotherUsersKeys() {
    publish("alice", TestKeys.oneTimePreKeys(1, 2));
    publish("bob", TestKeys.oneTimePreKeys(1, 2));

    registry.bundleFor(first("alice"));
    registry.bundleFor(first("alice"));

    assertThat(registry.oneTimePreKeyCount(first("alice"))).isZero();
    assertThat(registry.oneTimePreKeyCount(first("bob"))).isEqualTo(2);
  }

  @Test
  void concurrentBundleRequests_neverHandOutAKeyTwice() throws Exception {
    publish("alice", TestKeys.oneTimePreKeys(1, 50));
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Long> handedOut = new ArrayList<>();
    try {
      List<Future<List<Long>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(
            pool.submit(
                (Callable<List<Long>>)
                    () -> {
                      start.await();
                      List<Long> mine = new ArrayList<>();
                      Optional<OneTimePreKey> key;
                      while ((key = registry.bundleFor(first("alice")).oneTimePreKey())
                          .isPresent()) {
                        mine.add(key.get().keyId());
                      }
                      return mine;
                    }));
      }
      start.countDown();
      for (Future<List<Long>> result : results) {
        handedOut.addAll(result.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(handedOut).as("no key twice").doesNotHaveDuplicates();
    assertThat(handedOut)
        .as("every key once")
        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
    assertThat(registry.bundleFor(first("alice")).oneTimePreKey()).isEmpty();
    assertThat(registry.oneTimePreKeyCount(first("alice"))).isZero();
  }

  @Test
  void rotatedSignedPreKey_signedByTheIdentityKey_replacesTheOldOne() {
    Ed25519.KeyPair identity = publish("alice", List.of());
    SignedPreKey next = TestKeys.signedPreKey(identity, 2);

    registry.rotateSignedPreKey(first("alice"), next);

    SignedPreKey stored = registry.bundleFor(first("alice")).signedPreKey();
    assertThat(stored.keyId()).isEqualTo(2);
    assertThat(stored.publicKey()).isEqualTo(next.publicKey());
    assertThat(stored.signature()).isEqualTo(next.signature());
    assertThat(db.rows("SELECT COUNT(*) FROM device_signed_prekey WHERE username = ?1", "alice"))
        .extracting(row -> ((Number) row[0]).longValue())
        .containsExactly(1L);
  }

  @Test
  void rotatedSignedPreKey_withABadSignature_isRefused_andTheOldOneStays() {
    Ed25519.KeyPair identity = publish("alice", List.of());
    SignedPreKey signedByAnotherKey = TestKeys.signedPreKey(TestKeys.identity(), 2);
    SignedPreKey genuine = TestKeys.signedPreKey(identity, 3);
    byte[] flipped = genuine.signature().clone();
    flipped[10] ^= 0x20;
    SignedPreKey badSignature =
        new SignedPreKey(3, genuine.publicKey(), genuine.createdAt(), flipped);

    assertThatThrownBy(() -> registry.rotateSignedPreKey(first("alice"), signedByAnotherKey))
        .isInstanceOf(InvalidKeySignatureException.class);
    assertThatThrownBy(() -> registry.rotateSignedPreKey(first("alice"), badSignature))
        .isInstanceOf(InvalidKeySignatureException.class);

    assertThat(registry.bundleFor(first("alice")).signedPreKey().keyId()).isEqualTo(1);
  }

  @Test
  void addedOneTimePreKeys_joinThePool() {
    publish("alice", TestKeys.oneTimePreKeys(1, 5));

    registry.addOneTimePreKeys(first("alice"), TestKeys.oneTimePreKeys(6, 5));

    assertThat(registry.oneTimePreKeyCount(first("alice"))).isEqualTo(10);
  }

  @Test
  void oneTimePreKeys_thatWouldOverfillThePool_areRefused_andNoneIsAdded() {
    publish("alice", TestKeys.oneTimePreKeys(1, MAX_ONE_TIME_PREKEYS - 2));

    assertThatThrownBy(
            () -> registry.addOneTimePreKeys(first("alice"), TestKeys.oneTimePreKeys(1000, 3)))
        .isInstanceOfSatisfying(
            PreKeyPoolException.class, e -> assertThat(e.isConflict()).isFalse());

    assertThat(registry.oneTimePreKeyCount(first("alice"))).isEqualTo(MAX_ONE_TIME_PREKEYS - 2);
    registry.addOneTimePreKeys(first("alice"), TestKeys.oneTimePreKeys(1000, 2));
    assertThat(registry.oneTimePreKeyCount(first("alice")))
        .as("filling it exactly is fine")
        .isEqualTo(MAX_ONE_TIME_PREKEYS);
  }

  @Test
  void oneTimePreKeys_reusingAStoredKeyId_areAConflict_andNoneIsAdded() {
    publish("alice", TestKeys.oneTimePreKeys(1, 3));
    List<OneTimePreKey> newAndReused = new ArrayList<>(TestKeys.oneTimePreKeys(10, 2));
    newAndReused.addAll(TestKeys.oneTimePreKeys(3, 1));

    assertThatThrownBy(() -> registry.addOneTimePreKeys(first("alice"), newAndReused))
        .isInstanceOfSatisfying(
            PreKeyPoolException.class, e -> assertThat(e.isConflict()).isTrue());

    assertThat(registry.oneTimePreKeyCount(first("alice"))).isEqualTo(3);
  }

  @Test
  void keyIdOfAKeyAlreadyHandedOut_mayBeUploadedAgain() {
    publish("alice", TestKeys.oneTimePreKeys(1, 1));
    registry.bundleFor(first("alice"));

    registry.addOneTimePreKeys(first("alice"), TestKeys.oneTimePreKeys(1, 1));

    assertThat(registry.bundleFor(first("alice")).oneTimePreKey())
        .map(OneTimePreKey::keyId)
        .contains(1L);
  }

  /**
   * Linked devices share the account's identity but not its prekeys: a fetch for one device never
   * hands out, or empties, another device's keys, and the same key id may be used by both.
   */
  @Test
  void eachDevice_hasItsOwnSignedPreKeyAndPool_underTheAccountsOneIdentity() {
    Ed25519.KeyPair identity = publish("alice", TestKeys.oneTimePreKeys(1, 3));
    DeviceAddress second = new DeviceAddress("alice", 2);
    db.addDevice(second);
    registry.rotateSignedPreKey(second, TestKeys.signedPreKey(identity, 9));
    registry.addOneTimePreKeys(second, TestKeys.oneTimePreKeys(1, 2));

    PreKeyBundle secondsBundle = registry.bundleFor(second);
    registry.bundleFor(second);

    assertThat(secondsBundle.identity().signingKey()).isEqualTo(identity.publicKey());
    assertThat(secondsBundle.signedPreKey().keyId()).isEqualTo(9);
    assertThat(secondsBundle.oneTimePreKey()).isPresent();
    assertThat(registry.oneTimePreKeyCount(second)).isZero();
    assertThat(registry.bundleFor(second).oneTimePreKey()).isEmpty();
    assertThat(registry.oneTimePreKeyCount(first("alice"))).isEqualTo(3);
    assertThat(registry.bundleFor(first("alice"), false).signedPreKey().keyId()).isEqualTo(1);
  }

  @Test
  void aDeviceTheAccountDoesNotHave_hasNoBundle() {
    publish("alice", TestKeys.oneTimePreKeys(1, 3));

    assertThatThrownBy(() -> registry.bundleFor(new DeviceAddress("alice", 2)))
        .isInstanceOf(UnknownUserException.class);
    assertThat(registry.oneTimePreKeyCount(first("alice"))).isEqualTo(3);
  }

  @Test
  void unknownUser_isReportedAsSuch() {
    assertThatThrownBy(() -> registry.bundleFor(first("nobody")))
        .isInstanceOf(UnknownUserException.class);
    assertThatThrownBy(
            () ->
                registry.rotateSignedPreKey(
                    first("nobody"), TestKeys.signedPreKey(TestKeys.identity(), 1)))
        .isInstanceOf(UnknownUserException.class);
    assertThat(registry.identityKeys("nobody")).isEmpty();
    assertThat(registry.oneTimePreKeyCount(first("nobody"))).isZero();
  }

  /**
   * Registers {@code username} with a fresh identity, signed prekey 1 and the given one-time
   * prekeys.
   */
  private Ed25519.KeyPair publish(String username, List<OneTimePreKey> oneTimePreKeys) {
    Ed25519.KeyPair identity = TestKeys.identity();
    db.addAccount(username);
    db.database()
        .atomically(
            tx ->
                registry.publish(
                    tx,
                    first(username),
                    TestKeys.published(identity),
                    TestKeys.signedPreKey(identity, 1),
                    oneTimePreKeys));
    return identity;
  }
}
