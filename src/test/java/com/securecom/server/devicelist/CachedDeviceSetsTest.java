package com.securecom.server.devicelist;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.wire.WireMessage.UserDevices;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.JpaDeviceRepository;
import com.securecom.server.testing.InMemoryDatabase;
import com.securecom.server.testing.MutableClock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay's view of device sets: cached, dropped on a change, and never older than a minute. */
class CachedDeviceSetsTest {
  private final MutableClock clock = MutableClock.atSomeFixedTime();
  private InMemoryDatabase db;
  private CachedDeviceSets sets;

  @BeforeEach
  void start() {
    db = InMemoryDatabase.open();
    db.addAccount("alice");
    sets =
        new CachedDeviceSets(
            new JpaDeviceListRepository(db.database()),
            new JpaDeviceRepository(db.database()),
            clock);
  }

  @AfterEach
  void stop() {
    db.close();
  }

  @Test
  void aSetIsServedFromTheCache_untilAChangeIsAnnounced() {
    assertThat(sets.current("alice")).contains(new UserDevices("alice", 0, List.of(1)));
    linkSecondDevice();

    assertThat(sets.current("alice"))
        .as("cached: the change was not announced")
        .contains(new UserDevices("alice", 0, List.of(1)));
    sets.changed("alice");
    assertThat(sets.current("alice")).contains(new UserDevices("alice", 1, List.of(1, 2)));
  }

  /** A lost notice (another node's, say) leaves the cache behind for a minute at most. */
  @Test
  void aSetIsReadAgain_aMinuteAfterItWasRead() {
    sets.current("alice");
    linkSecondDevice();

    clock.advance(CachedDeviceSets.TIME_TO_LIVE);

    assertThat(sets.current("alice")).contains(new UserDevices("alice", 1, List.of(1, 2)));
  }

  @Test
  void anUnknownAccount_isNotCached_soOneRegisteredAMomentLaterIsFound() {
    assertThat(sets.current("bob")).isEmpty();
    db.addAccount("bob");
    assertThat(sets.current("bob")).contains(new UserDevices("bob", 0, List.of(1)));
  }

  private void linkSecondDevice() {
    db.addDevice(new DeviceAddress("alice", 2));
    db.update(
        "INSERT INTO device_list (username, serial, body, signature, updated_at)"
            + " VALUES ('alice', 1, ?1, ?2, 0)",
        new byte[] {1},
        new byte[64]);
  }
}
