package com.securecom.client.app;

/**
 * This device is no longer a device of its account: another device removed it (its tokens are gone;
 * a login as it is refused), so it can neither send nor receive. Its profile is left as it is.
 */
public class DeviceRemovedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeviceRemovedException(String account) {
    super(
        "this device was removed from account "
            + account
            + "; it no longer sends or receives messages");
  }
}
