package com.securecom.server.device;

import java.util.List;

/**
 * Fired after a new device list, whose serial is {@code serial}, removed devices from an account
 * (their rows, prekeys and tokens are gone): their open connections, on any node, must close with
 * 4410, the account's other connected devices are told ({@code devicesChanged}), and the removed
 * devices' queues are deleted.
 */
public record DevicesRemoved(String username, long serial, List<Integer> deviceIds) {
  public DevicesRemoved {
    deviceIds = List.copyOf(deviceIds);
  }
}
