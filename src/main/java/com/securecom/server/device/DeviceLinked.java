package com.securecom.server.device;

/**
 * Fired after a device was linked to an account (its row, keys, first token and the account's new
 * list, whose serial is {@code serial}, committed together): the account's connected devices, on
 * any node, are told ({@code devicesChanged}), and its connections below relay message version 4
 * are closed (4426), as they cannot address the new device.
 */
public record DeviceLinked(String username, long serial, int deviceId) {}
