package com.securecom.client.app;

/**
 * The device the user asked to remove is this one (remove it from another device), or not a device
 * of the account's signed list; nothing was sent.
 */
public class DeviceNotRemovableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeviceNotRemovableException(String detail) {
    super(detail);
  }
}
