package com.securecom.server.session;

import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DevicePrincipal;

/**
 * The device a request or connection was authenticated as (its token's), with the hash of the token
 * used and its expiry.
 */
public record AuthenticatedUser(DeviceAddress device, byte[] tokenHash, long expiresAt)
    implements DevicePrincipal {
  public String username() {
    return device.username();
  }

  @Override
  public String getName() {
    return device.username();
  }

  @Override
  public String toString() {
    return "AuthenticatedUser[" + device + "]";
  }
}
