package com.securecom.server.devicelist;

import static com.securecom.server.device.DeviceAddress.first;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.devices.DeviceEntry;
import com.securecom.protocol.devices.DeviceList;
import com.securecom.protocol.devices.SignedDeviceList;
import com.securecom.protocol.wire.WireMessage.UserDevices;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DeviceSets;
import com.securecom.server.device.DevicesRemoved;
import com.securecom.server.device.JpaDeviceRepository;
import com.securecom.server.keys.InvalidKeySignatureException;
import com.securecom.server.keys.JpaKeyRepository;
import com.securecom.server.keys.KeyRegistry;
import com.securecom.server.ratelimit.RateLimitedException;
import com.securecom.server.testing.InMemoryDatabase;
import com.securecom.server.testing.MutableClock;
import com.securecom.server.testing.RecordingEvent;
import com.securecom.server.testing.TestKeys;
import com.securecom.server.web.InvalidRequestException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server's side of signed device lists, over the real registry, repositories and database: what
 * it stores, and every way a list it must not store is refused with nothing changed.
 */
class DeviceListsTest {
  private static final int UPLOADS_PER_HOUR = 5;

  private final MutableClock clock = MutableClock.atSomeFixedTime();
  private final RecordingEvent<DevicesRemoved> removed = new RecordingEvent<>();
  private InMemoryDatabase db;
  private KeyRegistry keys;
  private JpaDeviceListRepository repository;
  private DeviceSets sets;
  private DeviceLists lists;
  private Ed25519.KeyPair alice;

  @BeforeEach
  void aliceRegistered() {
    db = InMemoryDatabase.open();
    keys =
        new KeyRegistry(
            new JpaKeyRepository(db.database(), new JpaDeviceRepository(db.database())),
            clock,
            new RecordingEvent<>(),
            100,
            0);
    repository = new JpaDeviceListRepository(db.database());
    sets = db.deviceSets();
    lists = service(UPLOADS_PER_HOUR);
    alice = register("alice");
  }

  @AfterEach
  void closeDatabase() {
    db.close();
  }

  @Test
  void aLegacyAccount_hasNoList_andDevice1() {
    DeviceLists.Served served = lists.of("alice");

    assertThat(served.list()).isEmpty();
    assertThat(served.devices()).extracting(d -> d.deviceId()).containsExactly(1);
  }

  @Test
  void aFirstList_reSigningDevice1_isStored_andServedByteForByte() {
    SignedDeviceList first = signed(alice, "alice", 1, 1, entries(1));

    lists.replace(first("alice"), first);

    assertThat(lists.of("alice").list()).contains(first);
    assertThat(lists.of("alice").devices()).extracting(d -> d.deviceId()).containsExactly(1);
  }

  @Test
  void onlyTheSuccessorOfTheStoredList_isStored() {
    SignedDeviceList one = signed(alice, "alice", 1, 1, entries(1));
    lists.replace(first("alice"), one);

    Throwable sameSerial =
        catchThrowable(
            () -> lists.replace(first("alice"), signed(alice, "alice", 1, 1, entries(1))));
    Throwable skipped =
        catchThrowable(
            () -> lists.replace(first("alice"), signed(alice, "alice", 3, 1, entries(1))));
    Throwable changedEntry =
        catchThrowable(
            () ->
                lists.replace(
                    first("alice"),
                    signed(alice, "alice", 2, 1, List.of(new DeviceEntry(1, 999)))));

    assertThat(List.of(sameSerial, skipped, changedEntry))
        .allSatisfy(t -> assertThat(t).isInstanceOf(ListConflictException.class));
    assertThat(lists.of("alice").list()).contains(one);
    SignedDeviceList two = signed(alice, "alice", 2, 1, entries(1));
    lists.replace(first("alice"), two);
    assertThat(lists.of("alice").list()).contains(two);
  }

  @Test
  void aListThatAddsADevice_isRefused_forLinkingIsItsOwnCall() {
    Throwable refused =
        catchThrowable(
            () -> lists.replace(first("alice"), signed(alice, "alice", 1, 2, entries(1, 2))));

    assertThat(refused).isInstanceOf(ListConflictException.class);
    assertThat(lists.of("alice").list()).isEmpty();
    assertThat(lists.of("alice").devices()).extracting(d -> d.deviceId()).containsExactly(1);
  }

  @Test
  void aListTheAccountsKeyDidNotSign_isAnInvalidSignature() {
    Ed25519.KeyPair mallory = TestKeys.identity();

    Throwable refused =
        catchThrowable(
            () -> lists.replace(first("alice"), signed(mallory, "alice", 1, 1, entries(1))));

    assertThat(refused).isInstanceOf(InvalidKeySignatureException.class);
    assertThat(((InvalidKeySignatureException) refused).field()).isEqualTo("deviceList.signature");
    assertThat(lists.of("alice").list()).isEmpty();
  }

  /** Bob's valid list, signed by Bob, uploaded with Alice's token: not Alice's key, not stored. */
  @Test
  void anotherAccountsList_isRefused() {
    Ed25519.KeyPair bob = register("bob");
    SignedDeviceList bobs = signed(bob, "bob", 1, 1, entries(1));

    Throwable refused = catchThrowable(() -> lists.replace(first("alice"), bobs));

    assertThat(refused).isInstanceOf(InvalidKeySignatureException.class);
    assertThat(lists.of("alice").list()).isEmpty();
    assertThat(lists.of("bob").list()).isEmpty();
  }

  @Test
  void aListNamingAnotherUsername_orAnotherKey_isAnInvalidRequest() {
    SignedDeviceList otherName = signed(alice, "bob", 1, 1, entries(1));
    byte[] body =
        DeviceList.of("alice", TestKeys.identity().publicKey(), 1, now(), 1, entries(1)).encode();
    SignedDeviceList otherKey = new SignedDeviceList(body, Ed25519.sign(alice.privateKey(), body));

    for (SignedDeviceList bad : List.of(otherName, otherKey)) {
      Throwable refused = catchThrowable(() -> lists.replace(first("alice"), bad));
      assertThat(refused).isInstanceOf(InvalidRequestException.class);
      assertThat(((InvalidRequestException) refused).field()).isEqualTo("deviceList.body");
    }
    assertThat(lists.of("alice").list()).isEmpty();
  }

  @Test
  void aListIssuedMoreThanADayFromTheServersClock_isRefused() {
    long day = Duration.ofDays(1).toSeconds();
    SignedDeviceList old = signed(alice, "alice", 1, 1, entries(1), now() - day - 60);
    SignedDeviceList future = signed(alice, "alice", 1, 1, entries(1), now() + day + 60);

    assertThat(catchThrowable(() -> lists.replace(first("alice"), old)))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(catchThrowable(() -> lists.replace(first("alice"), future)))
        .isInstanceOf(InvalidRequestException.class);
    lists.replace(first("alice"), signed(alice, "alice", 1, 1, entries(1), now() - day + 60));
    assertThat(lists.of("alice").list()).isPresent();
  }

  @Test
  void uploadsAreLimitedPerAccount() {
    for (int serial = 1; serial <= UPLOADS_PER_HOUR; serial++) {
      lists.replace(first("alice"), signed(alice, "alice", serial, 1, entries(1)));
    }

    Throwable limited =
        catchThrowable(
            () ->
                lists.replace(
                    first("alice"), signed(alice, "alice", UPLOADS_PER_HOUR + 1, 1, entries(1))));

    assertThat(limited).isInstanceOf(RateLimitedException.class);
  }

  /**
   * A removal deletes the devices it leaves out, with their prekeys and tokens, and announces it.
   * The stored list with two devices stands for a link made earlier (linking is not implemented).
   */
  @Test
  void aRemoval_deletesTheRemovedDevice_itsKeysAndTokens_andAnnouncesIt() {
    DeviceAddress second = new DeviceAddress("alice", 2);
    db.addDevice(second);
    keys.rotateSignedPreKey(second, TestKeys.signedPreKeyV3(alice, 2, 5));
    keys.addOneTimePreKeys(second, TestKeys.oneTimePreKeys(1, 2));
    db.update(
        "INSERT INTO session_token (token_hash, username, device_id, created_at, expires_at)"
            + " VALUES (?1, 'alice', 2, 0, ?2)",
        new byte[32],
        Long.MAX_VALUE);
    SignedDeviceList linked = signed(alice, "alice", 1, 2, entries(1, 2));
    db.database().atomically(tx -> repository.compareAndSet(tx, "alice", 0, linked, 1, 0));
    assertThat(sets.current("alice")).contains(new UserDevices("alice", 1, List.of(1, 2)));

    lists.replace(first("alice"), signed(alice, "alice", 2, 2, entries(1)));

    assertThat(sets.current("alice"))
        .as("the relay's cached set follows the stored list at once")
        .contains(new UserDevices("alice", 2, List.of(1)));
    assertThat(lists.of("alice").devices()).extracting(d -> d.deviceId()).containsExactly(1);
    assertThat(keys.oneTimePreKeyCount(second)).isZero();
    assertThat(db.rows("SELECT COUNT(*) FROM session_token WHERE device_id = 2"))
        .extracting(row -> ((Number) row[0]).longValue())
        .containsExactly(0L);
    assertThat(removed.fired()).containsExactly(new DevicesRemoved("alice", 2, List.of(2)));
  }

  /** Uploads racing with one serial: one is stored, every other is a conflict, none a failure. */
  @Test
  void racingUploadsOfOneSerial_storeOne_andAreConflictsForTheRest() throws Exception {
    DeviceLists unlimited = service(1000);
    int racers = 6;
    CyclicBarrier start = new CyclicBarrier(racers);
    List<Callable<Throwable>> uploads = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      SignedDeviceList list = signed(alice, "alice", 1, 1, entries(1), now() - i);
      uploads.add(
          () -> {
            start.await();
            return catchThrowable(() -> unlimited.replace(first("alice"), list));
          });
    }
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    List<Throwable> outcomes = new ArrayList<>();
    try {
      for (Future<Throwable> outcome : pool.invokeAll(uploads)) {
        outcomes.add(outcome.get());
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(outcomes).filteredOn(t -> t == null).hasSize(1);
    assertThat(outcomes)
        .filteredOn(t -> t != null)
        .allSatisfy(t -> assertThat(t).isInstanceOf(ListConflictException.class));
  }

  private DeviceLists service(int uploadsPerHour) {
    return new DeviceLists(
        repository,
        new JpaDeviceRepository(db.database()),
        keys,
        db.database(),
        clock,
        removed,
        sets,
        uploadsPerHour,
        6);
  }

  private Ed25519.KeyPair register(String username) {
    Ed25519.KeyPair identity = TestKeys.identity();
    db.addAccount(username);
    db.database()
        .atomically(
            tx ->
                keys.publish(
                    tx,
                    first(username),
                    TestKeys.published(identity),
                    TestKeys.signedPreKey(identity, 1),
                    List.of()));
    return identity;
  }

  private long now() {
    return clock.millis() / 1000;
  }

  private SignedDeviceList signed(
      Ed25519.KeyPair signer, String username, long serial, int last, List<DeviceEntry> entries) {
    return signed(signer, username, serial, last, entries, now());
  }

  private static SignedDeviceList signed(
      Ed25519.KeyPair signer,
      String username,
      long serial,
      int last,
      List<DeviceEntry> entries,
      long issuedAt) {
    return SignedDeviceList.sign(
        DeviceList.of(username, signer.publicKey(), serial, issuedAt, last, entries),
        signer.privateKey());
  }

  private static List<DeviceEntry> entries(int... ids) {
    List<DeviceEntry> entries = new ArrayList<>();
    for (int id : ids) {
      entries.add(new DeviceEntry(id, 1_700_000_000L + id));
    }
    return entries;
  }
}
