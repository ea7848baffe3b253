// The device lists this browser pins (docs/protocol.md, "What a client does with a served list"): for each contact
// and for its own account, the last list the account's identity key signed that the browser accepted, kept exactly
// as served ({body, signature}) in the contact's `deviceList` or the account's `ownDeviceList`; none is a legacy
// account (device 1). Copies go to pinned devices only. A served list replaces the pin only if it verifies under the
// pinned identity key and descends from the pin, so a server that adds a device, serves an older list or forks one
// changes nothing the browser does; the user is told. Java: DeviceLists, DeviceTrust.
import { fromBase64 } from '../lib/bytes.js';
import { judgeServedList, NOT_NEWER, parseList } from '../e2e/devices.js';
import { devicesOf } from '../e2e/fanout.js';

/** The list a pin holds (verified when it was pinned), or null for none (legacy: device 1 only). */
export function pinnedList(signed) {
  return signed ? parseList(signed.body) : null;
}

/** `username`'s device set {user, serial, ids} as the pin `signed` says (fanout.js). */
export function pinnedSet(username, signed) {
  return devicesOf(username, pinnedList(signed));
}

/** The served list of the registry's JSON ({deviceList?: {body, signature}} in base64), or null. */
function servedOf(json) {
  const list = json?.deviceList;
  if (!list) {
    return null;
  }
  if (typeof list.body !== 'string' || typeof list.signature !== 'string') {
    return { body: new Uint8Array(0), signature: new Uint8Array(0) }; // refused as malformed by the verdict
  }
  try {
    return { body: fromBase64(list.body), signature: fromBase64(list.signature) };
  } catch {
    return { body: new Uint8Array(0), signature: new Uint8Array(0) };
  }
}

/**
 * Fetches `username`'s served list and judges it against the pin `pinnedSigned` under `identityKey` (the identity the
 * caller trusts for the account): judgeServedList's verdict. Network and HTTP failures are thrown (api.js).
 */
export async function fetchVerdict(api, token, username, identityKey, pinnedSigned) {
  const json = await api.deviceList(token, username);
  return judgeServedList(username, identityKey, pinnedList(pinnedSigned), servedOf(json));
}

/** What the user is told when the server serves a list the browser does not pin (the pin stays). */
export function refusalText(username, verdict) {
  return NOT_NEWER.includes(verdict)
    ? `The server presented an older or conflicting device list for ${username} (${verdict}); ` +
        'SecureCom keeps the devices it knew.'
    : `The server presented a device list for ${username} that ${username}'s identity key did not sign ` +
        `(${verdict}); SecureCom sends nothing to devices outside the list it knew.`;
}
