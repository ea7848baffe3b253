package com.securecom.server.devicelist;

/** A link that would give an account more devices than {@code securecom.devices.max}. */
public class TooManyDevicesException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TooManyDevicesException(int max) {
    super("an account may have at most " + max + " devices: remove one first");
  }
}
