/**
 * An account's devices (issue 14, docs/design/linked-devices.md): a device is {@code (username,
 * deviceId)}, the unit that owns prekeys, tokens, a queue (whose size {@code DeviceQueues} names
 * and the relay's store answers) and a connection. Every account has device 1, created with it;
 * linking further devices is not implemented yet. Depends only on {@code persistence}.
 */
package com.securecom.server.device;
