package com.securecom.server.keys;

import static com.securecom.server.device.DeviceAddress.first;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.securecom.protocol.crypto.Ed25519;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.JpaDeviceRepository;
import com.securecom.server.testing.InMemoryDatabase;
import com.securecom.server.testing.MutableClock;
import com.securecom.server.testing.RecordingEvent;
import com.securecom.server.testing.TestKeys;
import com.securecom.server.web.NotAuthenticatedException;
import java.time.Duration;
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
  private JpaDeviceRepository devices;
  private KeyRegistry registry;

  @BeforeEach
  void openDatabase() {
    db = InMemoryDatabase.open();
    devices = new JpaDeviceRepository(db.database());
    registry =
        new KeyRegistry(
            new JpaKeyRepository(db.database(), devices),
            clock,
            poolLow,
            MAX_ONE_TIME_PREKEYS,
            LOW_WATER);
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
    registry.rotateSignedPreKey(second, TestKeys.signedPreKeyV3(identity, 2, 9));
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

  /**
   * A signed prekey of a device other than 1 must name it (signature version 3), so that the
   * registry cannot serve one device's key as another's; device 1 keeps version 2, which today's
   * clients verify.
   */
  @Test
  void aSignedPreKeyOfAnotherDeviceThan1_mustBeSignedForThatDevice() {
    Ed25519.KeyPair identity = publish("alice", TestKeys.oneTimePreKeys(1, 3));
    DeviceAddress second = new DeviceAddress("alice", 2);
    db.addDevice(second);

    assertThatThrownBy(
            () -> registry.rotateSignedPreKey(second, TestKeys.signedPreKey(identity, 9)))
        .as("version 2: names no device")
        .isInstanceOf(InvalidKeySignatureException.class);
    assertThatThrownBy(
            () -> registry.rotateSignedPreKey(second, TestKeys.signedPreKeyV3(identity, 3, 9)))
        .as("version 3 for device 3")
        .isInstanceOf(InvalidKeySignatureException.class);
    assertThatThrownBy(
            () ->
                registry.rotateSignedPreKey(
                    first("alice"), TestKeys.signedPreKeyV3(identity, 1, 9)))
        .as("device 1 stays at version 2 until the clients verify version 3")
        .isInstanceOf(InvalidKeySignatureException.class);

    registry.rotateSignedPreKey(second, TestKeys.signedPreKeyV3(identity, 2, 9));
    assertThat(registry.bundleFor(second, false).signedPreKey().keyId()).isEqualTo(9);
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
   * A request of device 2 authenticated with its token, then a device list removed device 2 (with
   * its keys and tokens), then the request's uploads ran: they are answered as the revoked token is
   * a moment later, and store nothing; device 1 keeps its keys.
   */
  @Test
  void uploadsOfADeviceRemovedAfterTheirRequestAuthenticated_failAsARevokedToken() {
    Ed25519.KeyPair identity = publish("alice", TestKeys.oneTimePreKeys(1, 3));
    DeviceAddress second = new DeviceAddress("alice", 2);
    db.addDevice(second);
    registry.rotateSignedPreKey(second, TestKeys.signedPreKeyV3(identity, 2, 9));
    registry.addOneTimePreKeys(second, TestKeys.oneTimePreKeys(1, 2));
    DeviceAddress authenticated = second;

    removeAllDevicesButTheFirst("alice");

    assertThatThrownBy(
            () ->
                registry.rotateSignedPreKey(
                    authenticated, TestKeys.signedPreKeyV3(identity, 2, 10)))
        .isInstanceOf(NotAuthenticatedException.class);
    assertThatThrownBy(
            () -> registry.addOneTimePreKeys(authenticated, TestKeys.oneTimePreKeys(3, 5)))
        .isInstanceOf(NotAuthenticatedException.class);
    assertThat(rowsOf(second)).as("nothing of the removed device, nothing half written").isZero();
    assertThatDeviceOneKeepsItsKeys("alice");
  }

  /**
   * The race itself: the removal has deleted device 2 but not committed when the upload's
   * transaction starts. The upload waits for the removal to end, then fails as a revoked token
   * would, and none of its keys outlives the device.
   */
  @Test
  void anUploadRacingTheRemovalOfItsDevice_waitsForIt_thenFailsAsARevokedToken() throws Exception {
    publish("alice", TestKeys.oneTimePreKeys(1, 3));
    DeviceAddress second = new DeviceAddress("alice", 2);
    db.addDevice(second);
    CountDownLatch deleted = new CountDownLatch(1);
    CountDownLatch commit = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> removal =
          pool.submit(
              () ->
                  db.database()
                      .atomically(
                          tx -> {
                            devices.keepOnly(tx, "alice", List.of(DeviceAddress.FIRST_ID));
                            deleted.countDown();
                            awaitQuietly(commit);
                          }));
      assertThat(deleted.await(10, TimeUnit.SECONDS)).isTrue();

      Future<Throwable> upload =
          pool.submit(
              () ->
                  catchThrowable(
                      () -> registry.addOneTimePreKeys(second, TestKeys.oneTimePreKeys(1, 5))));
      boolean waited = db.awaitALockWait(Duration.ofSeconds(10));
      commit.countDown();
      removal.get(10, TimeUnit.SECONDS);

      assertThat(waited).as("the upload waited for the removal").isTrue();
      assertThat(upload.get(10, TimeUnit.SECONDS)).isInstanceOf(NotAuthenticatedException.class);
    } finally {
      commit.countDown();
      pool.shutdownNow();
    }
    assertThat(rowsOf(second)).isZero();
    assertThatDeviceOneKeepsItsKeys("alice");
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

  /** Stores a device list that keeps only device 1, as {@code PUT /api/devices/list} does. */
  private void removeAllDevicesButTheFirst(String username) {
    db.database().atomically(tx -> devices.keepOnly(tx, username, List.of(DeviceAddress.FIRST_ID)));
  }

  /** The device's own row and its rows in both prekey tables. */
  private long rowsOf(DeviceAddress device) {
    long rows = 0;
    for (String table : List.of("device", "device_signed_prekey", "device_one_time_prekey")) {
      rows +=
          ((Number)
                  db.rows(
                          "SELECT COUNT(*) FROM "
                              + table
                              + " WHERE username = ?1 AND device_id = ?2",
                          device.username(),
                          device.deviceId())
                      .get(0)[0])
              .longValue();
    }
    return rows;
  }

  /** Device 1 as {@link #publish} left it: signed prekey 1 and one-time prekeys 1 to 3. */
  private void assertThatDeviceOneKeepsItsKeys(String username) {
    assertThat(registry.bundleFor(first(username), false).signedPreKey().keyId()).isEqualTo(1);
    assertThat(
            db.rows(
                "SELECT key_id FROM device_one_time_prekey"
                    + " WHERE username = ?1 AND device_id = 1 ORDER BY key_id",
                username))
        .extracting(row -> ((Number) row[0]).longValue())
        .containsExactly(1L, 2L, 3L);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
