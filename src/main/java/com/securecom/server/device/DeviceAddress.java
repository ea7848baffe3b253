package com.securecom.server.device;

import java.util.Objects;

/**
 * One device of one account. Device ids are {@value #MIN_ID} to {@value #MAX_ID} and never reused
 * within an account; the device that registered the account is {@value #FIRST_ID}.
 */
public record DeviceAddress(String username, int deviceId) {
  public static final int FIRST_ID = 1;
  public static final int MIN_ID = 1;
  public static final int MAX_ID = 999_999_999;

  public DeviceAddress {
    Objects.requireNonNull(username, "username");
    if (deviceId < MIN_ID || deviceId > MAX_ID) {
      throw new IllegalArgumentException("device id out of range: " + deviceId);
    }
  }

  /** True if {@code other} is a device of the same account (itself included). */
  public boolean sameAccount(DeviceAddress other) {
    return username.equals(other.username);
  }

  /** The device that registered {@code username}'s account. */
  public static DeviceAddress first(String username) {
    return new DeviceAddress(username, FIRST_ID);
  }

  @Override
  public String toString() {
    return username + "." + deviceId;
  }
}
