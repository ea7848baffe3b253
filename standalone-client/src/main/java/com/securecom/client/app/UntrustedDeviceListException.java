package com.securecom.client.app;

import com.securecom.protocol.devices.Refusal;

/**
 * The server serves a device list for this profile's own account that the account's identity key
 * did not sign, or one that does not descend from the list this profile pinned (older, a fork, or
 * one that brings back a removed device): nothing of it is shown or used, and the pin stays.
 */
public class UntrustedDeviceListException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UntrustedDeviceListException(String account, Refusal reason) {
    super(
        "the server presents a device list for "
            + account
            + (reason.isUntrusted()
                ? " that your identity key did not sign"
                : " that does not follow the one this device trusts")
            + " ("
            + reason.code()
            + "); it is not used, and this device keeps the list it trusts");
  }
}
