package com.securecom.server.device;

import java.security.Principal;

/**
 * A caller that is one device of an account: what a bearer token stands for. Resources that act on
 * the caller's own keys read the device from it ({@code SecurityContext.getUserPrincipal()}), never
 * from the request.
 */
public interface DevicePrincipal extends Principal {
  DeviceAddress device();
}
