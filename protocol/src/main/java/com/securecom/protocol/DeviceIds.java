package com.securecom.protocol;

/**
 * The rule every device id follows: an integer from 1 to 999,999,999 (docs/protocol.md, "Device
 * lists"), so a JSON number of 1 to 9 digits and a {@code u32} in binary layouts. Ids are given in
 * increasing order within an account and never reused, which is what lets a signature that names a
 * device id bind a key to one device for good.
 */
public final class DeviceIds {
  /** The lowest device id: the device that registered the account, and every legacy account's. */
  public static final int FIRST = 1;

  /** The highest device id (9 digits). */
  public static final int MAX = 999_999_999;

  private DeviceIds() {}

  /** True if {@code deviceId} is within 1 to 999,999,999. */
  public static boolean isValid(long deviceId) {
    return deviceId >= FIRST && deviceId <= MAX;
  }
}
