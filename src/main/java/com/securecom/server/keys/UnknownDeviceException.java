package com.securecom.server.keys;

/** The account exists but has no device with this id (never linked, or removed). */
public class UnknownDeviceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int deviceId;

  public UnknownDeviceException(int deviceId) {
    super("the account has no device " + deviceId);
    this.deviceId = deviceId;
  }

  public int deviceId() {
    return deviceId;
  }
}
