package com.securecom.server.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.securecom.protocol.crypto.Ed25519;
import com.securecom.server.keys.JpaKeyRepository;
import com.securecom.server.testing.InMemoryDatabase;
import com.securecom.server.testing.TestKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The device table over a real (in-memory H2) database, with the schema's foreign keys. */
class JpaDeviceRepositoryTest {
  private InMemoryDatabase db;
  private JpaDeviceRepository devices;
  private JpaKeyRepository keys;

  @BeforeEach
  void openDatabase() {
    db = InMemoryDatabase.open();
    devices = new JpaDeviceRepository(db.database());
    keys = new JpaKeyRepository(db.database(), devices);
  }

  @AfterEach
  void closeDatabase() {
    db.close();
  }

  @Test
  void anAccountListsItsDevicesInIdOrder_andNoOtherAccounts() {
    db.addAccount("alice");
    db.addAccount("bob");
    db.addDevice(new DeviceAddress("alice", 7));
    db.addDevice(new DeviceAddress("alice", 3));

    assertThat(devices.deviceIds("alice")).containsExactly(1, 3, 7);
    assertThat(devices.deviceIds("bob")).containsExactly(1);
    assertThat(devices.deviceIds("nobody")).isEmpty();
  }

  @Test
  void aDeviceIdIsAddedOnce_perAccount() {
    db.addAccount("alice");
    db.addAccount("bob");

    assertThat(add(DeviceAddress.first("alice"))).as("device 1 exists already").isFalse();
    assertThat(add(new DeviceAddress("bob", 2))).isTrue();
    assertThat(devices.deviceIds("alice")).containsExactly(1);
  }

  /**
   * What removing a device (linked devices, step 4) will rely on: the database itself deletes the
   * device's prekeys and tokens with it, and nothing of another device.
   */
  @Test
  void deletingADevice_deletesItsPrekeysAndTokens_andNothingOfTheOtherDevices() {
    Ed25519.KeyPair identity = TestKeys.identity();
    db.addAccount("alice");
    DeviceAddress second = new DeviceAddress("alice", 2);
    db.addDevice(second);
    for (DeviceAddress device : List.of(DeviceAddress.first("alice"), second)) {
      keys.saveSignedPreKey(device, TestKeys.signedPreKey(identity, 1), 0);
      keys.addOneTimePreKeys(device, TestKeys.oneTimePreKeys(1, 3));
      db.update(
          "INSERT INTO session_token (token_hash, username, device_id, created_at, expires_at)"
              + " VALUES (?1, 'alice', ?2, 0, 1)",
          new byte[] {(byte) device.deviceId()},
          device.deviceId());
    }

    assertThat(db.update("DELETE FROM device WHERE username = 'alice' AND device_id = 2"))
        .isEqualTo(1);

    assertThat(keys.signedPreKey(second)).isEmpty();
    assertThat(keys.countOneTimePreKeys(second)).isZero();
    assertThat(keys.signedPreKey(DeviceAddress.first("alice"))).isPresent();
    assertThat(keys.countOneTimePreKeys(DeviceAddress.first("alice"))).isEqualTo(3);
    assertThat(db.rows("SELECT device_id FROM session_token WHERE username = 'alice'"))
        .extracting(row -> ((Number) row[0]).intValue())
        .containsExactly(1);
  }

  @Test
  void aDeviceIsSeenWhenItConnects_andOnlyThatDevice() {
    db.addAccount("alice");
    DeviceAddress second = new DeviceAddress("alice", 2);
    add(second);

    assertThat(devices.seen(second, 1_000)).isTrue();
    assertThat(devices.seen(second, 2_000)).isTrue();
    assertThat(devices.seen(new DeviceAddress("alice", 3), 3_000)).as("no such device").isFalse();

    assertThat(devices.devices("alice"))
        .extracting(Device::deviceId, Device::lastSeenAt)
        .containsExactly(tuple(1, null), tuple(2, 2_000L));
  }

  @Test
  void lock_holdsOnlyADeviceTheAccountHas() {
    db.addAccount("alice");

    assertThat(lock(DeviceAddress.first("alice"))).isTrue();
    assertThat(lock(new DeviceAddress("alice", 2))).as("never linked").isFalse();
    assertThat(lock(DeviceAddress.first("nobody"))).as("no such account").isFalse();
  }

  /**
   * What prekey uploads rely on, the other way round from a removal that comes first: a removal
   * that comes while a transaction holds the device waits for it, then deletes what it wrote.
   */
  @Test
  void aRemovalOfALockedDevice_waitsForTheLockingTransaction_thenDeletesWhatItWrote()
      throws Exception {
    db.addAccount("alice");
    DeviceAddress second = new DeviceAddress("alice", 2);
    db.addDevice(second);
    CountDownLatch written = new CountDownLatch(1);
    CountDownLatch commit = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> upload =
          pool.submit(
              () ->
                  db.database()
                      .atomically(
                          tx -> {
                            assertThat(devices.lock(tx, second)).isTrue();
                            tx.entityManager()
                                .createNativeQuery(
                                    "INSERT INTO device_one_time_prekey"
                                        + " (username, device_id, key_id, public_key)"
                                        + " VALUES ('alice', 2, 1, ?1)")
                                .setParameter(1, new byte[32])
                                .executeUpdate();
                            written.countDown();
                            awaitQuietly(commit);
                          }));
      assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();

      Future<List<Integer>> removal =
          pool.submit(
              () -> {
                List<Integer> removed = new ArrayList<>();
                db.database()
                    .atomically(tx -> removed.addAll(devices.keepOnly(tx, "alice", List.of(1))));
                return removed;
              });
      boolean waited = db.awaitALockWait(Duration.ofSeconds(10));
      commit.countDown();
      upload.get(10, TimeUnit.SECONDS);

      assertThat(waited).as("the removal waited for the lock").isTrue();
      assertThat(removal.get(10, TimeUnit.SECONDS)).containsExactly(2);
    } finally {
      commit.countDown();
      pool.shutdownNow();
    }
    assertThat(devices.deviceIds("alice")).containsExactly(1);
    assertThat(keys.countOneTimePreKeys(second)).as("the locked transaction's key").isZero();
  }

  private boolean lock(DeviceAddress device) {
    AtomicBoolean locked = new AtomicBoolean();
    db.database().atomically(tx -> locked.set(devices.lock(tx, device)));
    return locked.get();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean add(DeviceAddress device) {
    AtomicBoolean added = new AtomicBoolean();
    db.database().atomically(tx -> added.set(devices.add(tx, device, 5)));
    return added.get();
  }

  @Test
  void deletingAnAccount_deletesAllItsDevices() {
    db.addAccount("alice");
    db.addDevice(new DeviceAddress("alice", 2));

    assertThat(db.update("DELETE FROM account WHERE username = 'alice'")).isEqualTo(1);

    assertThat(devices.deviceIds("alice")).isEmpty();
  }
}
