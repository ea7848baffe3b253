package com.securecom.protocol.devices;

import java.util.Arrays;

/**
 * Which lists may follow which (docs/protocol.md, "Device lists"). Every argument is a list already
 * verified for one account ({@link SignedDeviceList#verify}); {@code null} as the earlier list
 * stands for a legacy account that never published one, which these rules read as {@code serial 0,
 * lastDeviceId 1, entries [1 with any createdAt]}.
 *
 * <p>A <b>descendant</b> of {@code L} has a higher serial, a {@code lastDeviceId} at least {@code
 * L}'s, and every entry either in {@code L} unchanged (same id and createdAt) or new, with an id
 * above {@code L}'s {@code lastDeviceId}. So a removed id never comes back and an entry never
 * changes. A <b>successor</b> is a descendant whose serial is exactly one more. Clients accept
 * descendants (they may have missed lists); the server stores only successors, of one of the {@link
 * Change} kinds.
 */
public final class Succession {
  private Succession() {}

  /** What a successor changes, for the server's two upload calls. */
  public enum Change {
    /**
     * Exactly one entry added, with {@code id = lastDeviceId' = lastDeviceId + 1}; none removed.
     */
    LINK,
    /** Entries removed, none added, {@code lastDeviceId} unchanged. */
    REMOVAL,
    /** The same entries and {@code lastDeviceId}: a new signature (and {@code issuedAt}). */
    RESIGN,
    /** A successor of none of the kinds above (say, an entry added and another removed at once). */
    OTHER
  }

  /**
   * True if {@code next} is a descendant of {@code earlier} ({@code null}: legacy).
   *
   * @throws IllegalArgumentException if the two lists are for different accounts or keys
   */
  public static boolean isDescendant(DeviceList earlier, DeviceList next) {
    sameAccount(earlier, next);
    if (next.serial() <= serial(earlier) || next.lastDeviceId() < lastDeviceId(earlier)) {
      return false;
    }
    for (DeviceEntry entry : next.entries()) {
      boolean isNew = entry.deviceId() > lastDeviceId(earlier);
      if (!isNew && !isUnchangedFrom(earlier, entry)) {
        return false;
      }
    }
    return true;
  }

  /** True if {@code next} is a descendant of {@code stored} with serial one higher. */
  public static boolean isSuccessor(DeviceList stored, DeviceList next) {
    return isDescendant(stored, next) && next.serial() == serial(stored) + 1;
  }

  /**
   * What the successor {@code next} changes from {@code stored}.
   *
   * @throws IllegalArgumentException if {@code next} is not a successor of {@code stored}
   */
  public static Change change(DeviceList stored, DeviceList next) {
    if (!isSuccessor(stored, next)) {
      throw new IllegalArgumentException("not a successor");
    }
    int kept = 0;
    int added = 0;
    for (DeviceEntry entry : next.entries()) {
      if (entry.deviceId() > lastDeviceId(stored)) {
        added++;
      } else {
        kept++;
      }
    }
    int before = stored == null ? 1 : stored.entries().size();
    boolean sameLast = next.lastDeviceId() == lastDeviceId(stored);
    if (added == 0 && sameLast) {
      return kept == before ? Change.RESIGN : Change.REMOVAL;
    }
    if (added == 1
        && kept == before
        && next.lastDeviceId() == lastDeviceId(stored) + 1
        && next.contains(next.lastDeviceId())) {
      return Change.LINK;
    }
    return Change.OTHER;
  }

  private static boolean isUnchangedFrom(DeviceList earlier, DeviceEntry entry) {
    if (earlier == null) {
      return entry.deviceId() == 1; // legacy: device 1, with any createdAt
    }
    return entry.equals(earlier.entry(entry.deviceId()));
  }

  static long serial(DeviceList list) {
    return list == null ? 0 : list.serial();
  }

  static int lastDeviceId(DeviceList list) {
    return list == null ? 1 : list.lastDeviceId();
  }

  private static void sameAccount(DeviceList earlier, DeviceList next) {
    if (earlier != null
        && (!earlier.username().equals(next.username())
            || !Arrays.equals(earlier.identityKey(), next.identityKey()))) {
      throw new IllegalArgumentException("the lists belong to different accounts or keys");
    }
  }
}
