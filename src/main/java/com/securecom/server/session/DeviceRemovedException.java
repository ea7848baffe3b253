package com.securecom.server.session;

/**
 * A login with the right password named a device the account does not have: it was removed, or
 * never linked. Raised only after the password verified, so only the account's owner learns which
 * devices exist.
 */
public class DeviceRemovedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeviceRemovedException() {
    super("this device is not one of the account's devices");
  }
}
