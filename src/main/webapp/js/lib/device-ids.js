// The device id rule of docs/protocol.md ("Device ids"; Java: com.securecom.protocol.DeviceIds): an integer from 1
// to 999,999,999, given in increasing order within an account and never reused.

/** The device that registered the account, and every legacy account's only device. */
export const FIRST_DEVICE = 1;
export const MAX_DEVICE_ID = 999999999;

/** True if `n` is a device id: a Number from 1 to 999,999,999. */
export function isDeviceId(n) {
  return Number.isInteger(n) && n >= FIRST_DEVICE && n <= MAX_DEVICE_ID;
}
