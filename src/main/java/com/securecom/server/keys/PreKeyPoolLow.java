package com.securecom.server.keys;

import com.securecom.server.device.DeviceAddress;

/**
 * Fired when a bundle fetch left {@code device}'s one-time prekey pool with {@code count} keys,
 * below the low-water mark (or found it empty): the device should upload more now, not at its next
 * connection.
 */
public record PreKeyPoolLow(DeviceAddress device, long count) {}
