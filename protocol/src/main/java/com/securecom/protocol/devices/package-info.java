/**
 * An account's set of devices as its identity key signs it: the device list's byte layout and
 * strict parser ({@link com.securecom.protocol.devices.DeviceList}), its signature ({@link
 * com.securecom.protocol.devices.SignedDeviceList}), the rules that order lists ({@link
 * com.securecom.protocol.devices.Succession}: descendants for clients, successors for the server),
 * a client's pin decision ({@link com.securecom.protocol.devices.DeviceTrust}) and which signed
 * prekey signature a device may present ({@link com.securecom.protocol.devices.SignedPreKeys}).
 * Pure functions over bytes: no I/O, no clock. Depends on the JDK, {@code crypto} and the root
 * package's rules only. Not served yet (docs/design/linked-devices.md, step 1).
 */
package com.securecom.protocol.devices;
