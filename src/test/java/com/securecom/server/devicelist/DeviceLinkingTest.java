package com.securecom.server.devicelist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.devices.DeviceEntry;
import com.securecom.protocol.devices.DeviceList;
import com.securecom.protocol.devices.SignedDeviceList;
import com.securecom.protocol.wire.WireMessage.UserDevices;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DeviceLinked;
import com.securecom.server.device.DeviceSets;
import com.securecom.server.device.JpaDeviceRepository;
import com.securecom.server.keys.InvalidKeySignatureException;
import com.securecom.server.keys.JpaKeyRepository;
import com.securecom.server.keys.KeyRegistry;
import com.securecom.server.keys.SignedPreKey;
import com.securecom.server.ratelimit.RateLimitedException;
import com.securecom.server.session.JpaSessionRepository;
import com.securecom.server.session.SessionService;
import com.securecom.server.testing.InMemoryDatabase;
import com.securecom.server.testing.MutableClock;
import com.securecom.server.testing.RecordingEvent;
import com.securecom.server.testing.TestKeys;
import java.security.SecureRandom;
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
 * Linking a device on the real repositories: what a ticket and a signed list let a new device do,
 * and every way a link is refused with nothing changed. Alice is a legacy account (device 1, no
 * list); her new device is device 2.
 */
class DeviceLinkingTest {
  private final MutableClock clock = MutableClock.atSomeFixedTime();
  private final RecordingEvent<DeviceLinked> linked = new RecordingEvent<>();
  private InMemoryDatabase db;
  private KeyRegistry keys;
  private DeviceSets sets;
  private SessionService sessions;
  private DeviceLinking linking;
  private Ed25519.KeyPair alice;

  @BeforeEach
  void aliceRegistered() {
    db = InMemoryDatabase.open();
    JpaDeviceRepository devices = new JpaDeviceRepository(db.database());
    keys =
        new KeyRegistry(
            new JpaKeyRepository(db.database(), devices), clock, new RecordingEvent<>(), 100, 0);
    sets = db.deviceSets();
    // Only issue() and authenticate() are used here: no passwords, no login throttle.
    sessions =
        new SessionService(
            null,
            devices,
            new JpaSessionRepository(db.database()),
            null,
            new SecureRandom(),
            clock,
            new RecordingEvent<>(),
            Duration.ofHours(24),
            null);
    JpaDeviceListRepository listStore = new JpaDeviceListRepository(db.database());
    DeviceLists lists =
        new DeviceLists(
            listStore, devices, keys, db.database(), clock, new RecordingEvent<>(), sets, 60, 3);
    linking =
        new DeviceLinking(
            lists,
            listStore,
            new JpaTicketRepository(db.database()),
            devices,
            keys,
            sessions,
            sets,
            db.database(),
            linked,
            new SecureRandom(),
            clock,
            new DeviceLinking.Limits(Duration.ofMinutes(10), 10, 10, 100));
    alice = register("alice");
    register("bob");
  }

  @AfterEach
  void closeDatabase() {
    db.close();
  }

  @Test
  void aTicketAndAListSignedByTheAccount_linkExactlyOneDevice_withItsKeysAndFirstSession() {
    assertThat(sets.current("alice")).contains(new UserDevices("alice", 0, List.of(1)));

    DeviceLinking.Linked result = linking.register(newDevice(ticket(), linkList(1, 2)), "addr");

    assertThat(result.deviceId()).isEqualTo(2);
    assertThat(sessions.authenticate(result.session().token()))
        .as("the first token is the new device's")
        .hasValueSatisfying(u -> assertThat(u.device()).isEqualTo(device(2)));
    assertThat(keys.oneTimePreKeyCount(device(2))).isEqualTo(3);
    assertThat(keys.bundleFor(device(2), false).signedPreKey().keyId()).isEqualTo(7);
    assertThat(sets.current("alice"))
        .as("the relay's set follows at once")
        .contains(new UserDevices("alice", 1, List.of(1, 2)));
    assertThat(linked.fired()).containsExactly(new DeviceLinked("alice", 1, 2));
    assertThat(db.rows("SELECT name FROM device WHERE username = 'alice' AND device_id = 2"))
        .extracting(row -> row[0])
        .containsExactly("laptop");
  }

  @Test
  void aTicketServesOnce() {
    String ticket = ticket();
    linking.register(newDevice(ticket, linkList(1, 2)), "addr");

    assertThatThrownBy(() -> linking.register(newDevice(ticket, linkList(2, 3)), "addr"))
        .isInstanceOf(InvalidTicketException.class);
    assertThat(sets.current("alice")).contains(new UserDevices("alice", 1, List.of(1, 2)));
  }

  @Test
  void aTicketThatIsMalformedUnknownExpiredOrAnothersAccounts_isOneAnswer_andChangesNothing() {
    String bobs = linking.ticket(DeviceAddress.first("bob")).ticket();
    String expiring = ticket();

    List<String> refused = new ArrayList<>();
    refused.add("not a ticket");
    refused.add("A".repeat(43));
    refused.add(bobs);
    for (String ticket : refused) {
      assertThatThrownBy(() -> linking.register(newDevice(ticket, linkList(1, 2)), "addr"))
          .as(ticket)
          .isInstanceOf(InvalidTicketException.class);
    }
    clock.advance(Duration.ofMinutes(10));
    assertThatThrownBy(() -> linking.register(newDevice(expiring, linkList(1, 2)), "addr"))
        .isInstanceOf(InvalidTicketException.class);

    assertThat(sets.current("alice")).contains(new UserDevices("alice", 0, List.of(1)));
    assertThat(linked.fired()).isEmpty();
  }

  /** The server (or anyone with a ticket) cannot add a device the account's key did not sign. */
  @Test
  void aListNotSignedByTheAccountsKey_isRefused_andTheTicketStaysUsable() {
    String ticket = ticket();
    SignedDeviceList genuine = linkList(1, 2);
    SignedDeviceList forged =
        new SignedDeviceList(
            genuine.body(), Ed25519.sign(TestKeys.identity().privateKey(), genuine.body()));

    assertThatThrownBy(() -> linking.register(newDevice(ticket, forged), "addr"))
        .isInstanceOf(InvalidKeySignatureException.class);
    assertThat(sets.current("alice")).contains(new UserDevices("alice", 0, List.of(1)));
    assertThat(linking.register(newDevice(ticket, linkList(1, 2)), "addr").deviceId()).isEqualTo(2);
  }

  @Test
  void aListThatIsNotTheSuccessorAddingExactlyOneDevice_isAConflict() {
    assertThatThrownBy(
            () ->
                linking.register(newDevice(ticket(), sign(alice, 1, 3, entries(1, 2, 3))), "addr"))
        .as("two devices at once")
        .isInstanceOf(ListConflictException.class);
    assertThatThrownBy(
            () -> linking.register(newDevice(ticket(), sign(alice, 2, 2, entries(1, 2))), "addr"))
        .as("a serial that skips one")
        .isInstanceOf(ListConflictException.class);
    assertThatThrownBy(
            () -> linking.register(newDevice(ticket(), sign(alice, 1, 2, entries(2))), "addr"))
        .as("device 1 dropped while linking")
        .isInstanceOf(ListConflictException.class);
    assertThat(sets.current("alice")).contains(new UserDevices("alice", 0, List.of(1)));
  }

  /** A prekey signed for another device (or with the version 2 signature) cannot be device 2's. */
  @Test
  void theNewDevicesSignedPrekey_mustNameIt() {
    SignedPreKey forDevice3 = TestKeys.signedPreKeyV3(alice, 3, 7);
    SignedPreKey version2 = TestKeys.signedPreKey(alice, 7);
    for (SignedPreKey key : List.of(forDevice3, version2)) {
      DeviceLinking.NewDevice request =
          new DeviceLinking.NewDevice(
              "alice", ticket(), linkList(1, 2), key, TestKeys.oneTimePreKeys(1, 3), null);
      assertThatThrownBy(() -> linking.register(request, "addr"))
          .isInstanceOf(InvalidKeySignatureException.class);
    }
    assertThat(sets.current("alice")).contains(new UserDevices("alice", 0, List.of(1)));
  }

  @Test
  void aLinkBeyondTheDeviceLimit_isRefused() {
    linking.register(newDevice(ticket(), linkList(1, 2)), "addr");
    linking.register(newDevice(ticket(), sign(alice, 2, 3, entries(1, 2, 3))), "addr");

    assertThatThrownBy(
            () ->
                linking.register(
                    newDevice(ticket(), sign(alice, 3, 4, entries(1, 2, 3, 4))), "addr"))
        .isInstanceOf(TooManyDevicesException.class);
  }

  /** Two new devices racing with the same serial: one is linked, the other must start again. */
  @Test
  void racingLinks_linkOne_andAreConflictsForTheRest() throws Exception {
    int racers = 3;
    CyclicBarrier start = new CyclicBarrier(racers);
    List<Callable<Throwable>> links = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      DeviceLinking.NewDevice request = newDevice(ticket(), linkList(1, 2));
      links.add(
          () -> {
            start.await();
            return catchThrowable(() -> linking.register(request, "addr"));
          });
    }
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    List<Throwable> outcomes = new ArrayList<>();
    try {
      for (Future<Throwable> outcome : pool.invokeAll(links)) {
        outcomes.add(outcome.get());
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(outcomes).filteredOn(t -> t == null).hasSize(1);
    assertThat(outcomes)
        .filteredOn(t -> t != null)
        .allSatisfy(t -> assertThat(t).isInstanceOf(ListConflictException.class));
    assertThat(sets.current("alice")).contains(new UserDevices("alice", 1, List.of(1, 2)));
  }

  @Test
  void anAccountHoldsAtMostThreeUnusedTickets() {
    for (int i = 0; i < DeviceLinking.MAX_VALID_TICKETS; i++) {
      ticket();
    }
    assertThatThrownBy(this::ticket).isInstanceOf(RateLimitedException.class);
    clock.advance(Duration.ofMinutes(10));
    assertThat(ticket()).hasSize(43);
  }

  /**
   * Registrations that name alice but carry no ticket of hers cost her nothing: a stranger cannot
   * use up the registrations her new device needs.
   */
  @Test
  void registrationsWithoutAValidTicket_doNotUseUpTheAccountsBudget() {
    for (int i = 0; i < 20; i++) {
      catchThrowable(() -> linking.register(newDevice("B".repeat(43), linkList(1, 2)), "x" + 0));
    }

    assertThat(linking.register(newDevice(ticket(), linkList(1, 2)), "addr").deviceId())
        .isEqualTo(2);
  }

  private String ticket() {
    return linking.ticket(DeviceAddress.first("alice")).ticket();
  }

  private DeviceLinking.NewDevice newDevice(String ticket, SignedDeviceList list) {
    int id;
    try {
      id = DeviceList.parse(list.body()).lastDeviceId();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return new DeviceLinking.NewDevice(
        "alice",
        ticket,
        list,
        TestKeys.signedPreKeyV3(alice, id, 7),
        TestKeys.oneTimePreKeys(1, 3),
        "laptop");
  }

  /** Alice's list with serial {@code serial} whose newest device is {@code last} (1 to last). */
  private SignedDeviceList linkList(long serial, int last) {
    int[] ids = new int[last];
    for (int i = 0; i < last; i++) {
      ids[i] = i + 1;
    }
    return sign(alice, serial, last, entries(ids));
  }

  private SignedDeviceList sign(
      Ed25519.KeyPair signer, long serial, int last, List<DeviceEntry> entries) {
    // the signer is always alice: a forged signature is made over a genuine body
    return SignedDeviceList.sign(
        DeviceList.of("alice", alice.publicKey(), serial, clock.millis() / 1000, last, entries),
        signer.privateKey());
  }

  private static DeviceAddress device(int id) {
    return new DeviceAddress("alice", id);
  }

  private Ed25519.KeyPair register(String username) {
    Ed25519.KeyPair identity = TestKeys.identity();
    db.addAccount(username);
    db.database()
        .atomically(
            tx ->
                keys.publish(
                    tx,
                    DeviceAddress.first(username),
                    TestKeys.published(identity),
                    TestKeys.signedPreKey(identity, 1),
                    List.of()));
    return identity;
  }

  private static List<DeviceEntry> entries(int... ids) {
    List<DeviceEntry> entries = new ArrayList<>();
    for (int id : ids) {
      entries.add(new DeviceEntry(id, 1_700_000_000L + id));
    }
    return entries;
  }
}
