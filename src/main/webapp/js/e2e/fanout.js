// Which copies a client makes for a relay message version 4 or 5 `send` (docs/protocol.md, "Version 4", "Sending
// to a device set", "Version 5"; Java: com.securecom.protocol.devices.Fanout, whose `check` is the server's side of the same rule).
// A device set is {user, serial, ids}: a username, the serial of its verified list (0 for a legacy account, which
// has device 1 only) and its device ids in increasing order, as the relay's `stale_devices` entries carry them.
// The server accepts a send exactly when each named user's copies go to `required` of its current set, so copies
// made by `targets` from the sets the server has pass its checks. Pure functions.
import { FIRST_DEVICE, isDeviceId } from '../lib/device-ids.js';
import { USERNAME } from '../lib/usernames.js';
import { deviceIds } from './devices.js';

function must(rule, broken) {
  if (!rule) {
    throw new Error(broken);
  }
}

function mustBeASet(set) {
  must(USERNAME.test(set.user), "a set's user follows the username rule");
  must(Number.isSafeInteger(set.serial) && set.serial >= 0, 'a serial is 0 to 2^53 - 1');
  must(
    set.ids.length >= 1 &&
      set.ids.every((id, i) => isDeviceId(id) && (i === 0 || id > set.ids[i - 1])),
    'an account has device ids in increasing order, at least one',
  );
  must(
    set.serial !== 0 || (set.ids.length === 1 && set.ids[0] === FIRST_DEVICE),
    'an account without a list (serial 0) has device 1 only',
  );
}

/** The device set of `username` as its verified list says; for null (legacy, no list) serial 0 and device 1. */
export function devicesOf(username, list) {
  must(!list || list.username === username, `the list is ${username}'s`);
  return { user: username, serial: list ? list.serial : 0, ids: deviceIds(list) };
}

/**
 * The devices a send from `sendingDevice` of `sender` must name for the user of `set`, if it names that user: all
 * of them, but for the sender's own account all but the sending device (which may be empty).
 */
export function required(sender, sendingDevice, set) {
  return set.user === sender ? set.ids.filter((id) => id !== sendingDevice) : [...set.ids];
}

/**
 * The copies to make, as [{to, device}] (add each its envelope): one for each device of `recipient` in increasing
 * id, then, if `toOwnDevices`, one for each of the sender's other devices in increasing id. A client names its own
 * devices in every `text` and never in receipts. Throws if `recipient` is the sender's own account or a set is not
 * a device set.
 *
 * @param own the sending account's verified set (its user is the sender)
 * @param recipient another user's verified set
 */
export function targets(sendingDevice, own, recipient, toOwnDevices) {
  return groupTargets(sendingDevice, own, [recipient], toOwnDevices);
}

/**
 * The copies of a relay version 5 send to several users (a group message; Java: Fanout.targets with a list): for
 * each recipient in the order given, one copy for each of its devices in increasing id, then, if `toOwnDevices`,
 * one for each of the sender's other devices. Throws if a user is named twice, the sender's own account is among
 * the recipients, or a set is not a device set.
 */
export function groupTargets(sendingDevice, own, recipients, toOwnDevices) {
  must(isDeviceId(sendingDevice), 'a device id is 1 to 999,999,999');
  mustBeASet(own);
  recipients.forEach(mustBeASet);
  must(
    recipients.every((r) => r.user !== own.user),
    'the recipients are other users',
  );
  must(new Set(recipients.map((r) => r.user)).size === recipients.length, 'each recipient once');
  const copies = (set) =>
    required(own.user, sendingDevice, set).map((device) => ({ to: set.user, device }));
  return [...recipients.flatMap(copies), ...(toOwnDevices ? copies(own) : [])];
}
