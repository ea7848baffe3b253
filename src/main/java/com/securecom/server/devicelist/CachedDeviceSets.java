package com.securecom.server.devicelist;

import com.securecom.protocol.wire.WireMessage.UserDevices;
import com.securecom.server.device.DeviceRepository;
import com.securecom.server.device.DeviceSets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The device sets of accounts, read from the stored lists and device rows and kept per node: the
 * relay asks on every send. An entry is dropped when {@link #changed} says so (this node's list
 * uploads, and the cluster's notices of other nodes' removals) and after {@link #TIME_TO_LIVE}
 * whatever happens, which bounds how long a lost notice leaves a node behind. A read that overlaps
 * a {@link #changed} is answered but not kept, so a set read just before a change cannot outlive
 * it. Bounded: past {@link #LIMIT} accounts it starts again from empty. Unknown accounts are not
 * kept (a name registered a moment ago is found).
 */
@ApplicationScoped
public class CachedDeviceSets implements DeviceSets {
  static final Duration TIME_TO_LIVE = Duration.ofMinutes(1);
  static final int LIMIT = 100_000;

  /** How often a read is repeated when a list was stored while it read the device rows. */
  private static final int READS = 3;

  private DeviceListRepository lists;
  private DeviceRepository devices;
  private Clock clock;
  private final Map<String, Entry> sets = new ConcurrentHashMap<>();
  private final AtomicLong changes = new AtomicLong();

  private record Entry(UserDevices set, long readAt) {}

  protected CachedDeviceSets() {}

  @Inject
  public CachedDeviceSets(DeviceListRepository lists, DeviceRepository devices, Clock clock) {
    this.lists = lists;
    this.devices = devices;
    this.clock = clock;
  }

  @Override
  public Optional<UserDevices> current(String username) {
    long now = clock.millis();
    Entry entry = sets.get(username);
    if (entry != null && now - entry.readAt() < TIME_TO_LIVE.toMillis()) {
      return Optional.of(entry.set());
    }
    long before = changes.get();
    UserDevices set = read(username);
    if (set == null) {
      return Optional.empty();
    }
    if (changes.get() == before) {
      if (sets.size() >= LIMIT) {
        sets.clear();
      }
      Entry read = new Entry(set, now);
      sets.put(username, read);
      if (changes.get() != before) {
        sets.remove(username, read); // a change came between the check and the put
      }
    }
    return Optional.of(set);
  }

  @Override
  public void changed(String username) {
    changes.incrementAndGet();
    sets.remove(username);
  }

  /**
   * The serial and the ids as one transaction would see them: a list and the device rows it changes
   * are committed together, so the ids read between two reads of the same serial are that list's.
   * Null if the account has no device (no account).
   */
  private UserDevices read(String username) {
    long serial = lists.serial(username);
    List<Integer> ids = List.of();
    for (int attempt = 0; attempt < READS; attempt++) {
      ids = devices.deviceIds(username);
      long after = lists.serial(username);
      if (after == serial) {
        break;
      }
      serial = after;
    }
    return ids.isEmpty() ? null : new UserDevices(username, serial, ids);
  }
}
