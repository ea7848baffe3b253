package com.securecom.protocol.devices;

import com.securecom.protocol.DeviceIds;

/**
 * One device of a device list: its id and when it was linked ({@code createdAt}, seconds since the
 * epoch, as the linking device's clock said). An entry has no signature of its own; the signature
 * of every list that contains it vouches for it, and once listed it never changes.
 *
 * @param deviceId 1 to 999,999,999
 * @param createdAt 0 to 2^53 - 1
 */
public record DeviceEntry(int deviceId, long createdAt) {
  /** The encoded size: {@code u32(deviceId) || u64(createdAt)}. */
  public static final int BYTES = 12;

  /**
   * @throws IllegalArgumentException if a field is out of its range
   */
  public DeviceEntry {
    if (!DeviceIds.isValid(deviceId)) {
      throw new IllegalArgumentException("device id out of range: " + deviceId);
    }
    if (createdAt < 0 || createdAt > DeviceList.MAX_NUMBER) {
      throw new IllegalArgumentException("createdAt out of range: " + createdAt);
    }
  }
}
