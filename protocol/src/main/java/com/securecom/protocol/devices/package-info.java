/**
 * An account's set of devices as its identity key signs it: the device list's byte layout and
 * strict parser ({@link com.securecom.protocol.devices.DeviceList}), its signature ({@link
 * com.securecom.protocol.devices.SignedDeviceList}), the rules that order lists ({@link
 * com.securecom.protocol.devices.Succession}: descendants for clients, successors for the server),
 * a client's pin decision ({@link com.securecom.protocol.devices.DeviceTrust}) and which signed
 * prekey signature a device may present ({@link com.securecom.protocol.devices.SignedPreKeys}), and
 * which copies a relay message version 4 {@code send} must carry ({@link
 * com.securecom.protocol.devices.Fanout}: the server's check and the client's fan-out). Pure
 * functions: no I/O, no clock. Depends on the JDK, {@code crypto}, the root package's rules and,
 * for {@code Fanout} only, the {@code wire} records and error codes. Linking's {@link
 * com.securecom.protocol.devices.LinkCode} and {@link
 * com.securecom.protocol.devices.ProvisioningCipher} are here too.
 */
package com.securecom.protocol.devices;
