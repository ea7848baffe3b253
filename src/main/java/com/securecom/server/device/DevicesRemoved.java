package com.securecom.server.device;

import java.util.List;

/**
 * Fired after a new device list removed devices from an account (their rows, prekeys and tokens are
 * gone): their open connections, on any node, must close with 4410, and their queues are deleted.
 */
public record DevicesRemoved(String username, List<Integer> deviceIds) {
  public DevicesRemoved {
    deviceIds = List.copyOf(deviceIds);
  }
}
