// An account's devices as its identity key signs them (docs/protocol.md, "Device lists"; Java:
// com.securecom.protocol.devices): the list's one encoding and strict parser, its signature, which list may follow
// which, a client's verdict on a served list against its pin, and which signed prekey signature a device may
// present. Pure functions over byte strings and plain objects: no storage, no network, no clock.
//
// A list is {username, identityKey [32], serial, issuedAt, lastDeviceId, entries: [{deviceId, createdAt}]}, every
// number a safe integer. A signed list is {body, signature}: the exact bytes the identity key signed, kept as
// served and never re-encoded. The only way from a signed list to a list is verifyList; `null` for a list is a
// legacy account that never published one, read as {serial 0, lastDeviceId 1, entries [device 1]}.
import { ascii, concat, equal, u32, u64, u8 } from '../lib/bytes.js';
import { ed25519Sign, ed25519Verify } from '../lib/crypto.js';
import { FIRST_DEVICE, isDeviceId } from '../lib/device-ids.js';
import { USERNAME } from '../lib/usernames.js';

/** The label that starts every body, so that no other signed message can pass for a list. */
export const LABEL = ascii('SecureCom device list v1');
/** The most entries a list may have (the server may allow fewer). */
export const MAX_ENTRIES = 16;
/** 2^53 - 1: the highest serial or time, so that every number is exact in JavaScript. */
export const MAX_NUMBER = Number.MAX_SAFE_INTEGER;

const ENTRY_BYTES = 12; // u32(deviceId) || u64(createdAt)
const FIXED_BYTES = LABEL.length + 1 + 32 + 8 + 8 + 4 + 1; // all but the username and the entries

/**
 * Why a served list is not accepted, as the vectors name it. The first four mean the identity key did not vouch
 * for this list for this account (warn: the server presents a list the account did not sign); the last three
 * that it did, but the list is not newer than the pin. In every case the pin stays.
 */
export const UNTRUSTED = Object.freeze([
  'badSignature',
  'malformed',
  'wrongUsername',
  'wrongIdentity',
]);
export const NOT_NEWER = Object.freeze(['rollback', 'fork', 'notDescendant']);

/** Bytes that are not a well-formed body; the message names the first rule broken (a list is public). */
export class MalformedDeviceList extends Error {
  constructor(message) {
    super(message);
    this.name = 'MalformedDeviceList';
  }
}

/** A signed list that does not verify for the account: `reason` is one of UNTRUSTED. */
export class DeviceListRefused extends Error {
  constructor(reason, message) {
    super(message);
    this.name = 'DeviceListRefused';
    this.reason = reason;
  }
}

const isNumber = (n) => Number.isSafeInteger(n) && n >= 0;

/** The first rule `list` breaks, or null if it is well-formed (then it has exactly one encoding). */
function problem(list) {
  const { username, identityKey, serial, issuedAt, lastDeviceId, entries } = list;
  if (typeof username !== 'string' || !USERNAME.test(username)) {
    return 'username does not follow the rule';
  }
  if (!(identityKey instanceof Uint8Array) || identityKey.length !== 32) {
    return 'identity key is not 32 bytes';
  }
  if (!isNumber(serial) || serial < 1) {
    return 'serial out of range';
  }
  if (!isNumber(issuedAt)) {
    return 'issuedAt out of range';
  }
  if (!isDeviceId(lastDeviceId)) {
    return 'lastDeviceId out of range';
  }
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES) {
    return 'count out of range';
  }
  let previous = 0;
  for (const { deviceId, createdAt } of entries) {
    if (!isDeviceId(deviceId) || !isNumber(createdAt)) {
      return 'entry out of range';
    }
    if (deviceId <= previous) {
      return 'device ids not strictly increasing';
    }
    if (deviceId > lastDeviceId) {
      return 'device id above lastDeviceId';
    }
    previous = deviceId;
  }
  return null;
}

/** The body: the exact bytes the identity key signs. Throws if `list` is not well-formed. */
export function encodeList(list) {
  const broken = problem(list);
  if (broken) {
    throw new Error('not a well-formed device list: ' + broken);
  }
  return concat(
    LABEL,
    u8(list.username.length),
    ascii(list.username),
    list.identityKey,
    u64(list.serial),
    u64(list.issuedAt),
    u32(list.lastDeviceId),
    u8(list.entries.length),
    ...list.entries.flatMap((e) => [u32(e.deviceId), u64(e.createdAt)]),
  );
}

/**
 * Reads a body, refusing anything but the one encoding of a well-formed list (MalformedDeviceList). Checks nothing
 * about who signed it or which account it names: take lists from the server only through verifyList.
 */
export function parseList(body) {
  if (!(body instanceof Uint8Array) || body.length < LABEL.length + 1) {
    throw new MalformedDeviceList('too short');
  }
  if (!equal(body.subarray(0, LABEL.length), LABEL)) {
    throw new MalformedDeviceList('not a device list v1 label');
  }
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let at = LABEL.length;
  const nameLength = body[at++];
  if (nameLength < 3 || nameLength > 32) {
    throw new MalformedDeviceList('username length out of range: ' + nameLength);
  }
  if (body.length < FIXED_BYTES + nameLength) {
    throw new MalformedDeviceList('too short');
  }
  // Bytes above 0x7f read as characters outside the username rule, which refuses them.
  const username = String.fromCharCode(...body.subarray(at, (at += nameLength)));
  const identityKey = body.slice(at, (at += 32));
  // A u64 above 2^53 - 1 reads as Infinity, outside every range, so no value is rounded on the way.
  const number = (big) => (big <= BigInt(MAX_NUMBER) ? Number(big) : Infinity);
  const serial = number(view.getBigUint64(at));
  const issuedAt = number(view.getBigUint64(at + 8));
  const lastDeviceId = view.getUint32(at + 16);
  const count = body[at + 20];
  at += 21;
  if (count < 1 || count > MAX_ENTRIES) {
    throw new MalformedDeviceList('count out of range: ' + count);
  }
  if (body.length - at !== count * ENTRY_BYTES) {
    throw new MalformedDeviceList(
      `length does not match the count: ${body.length - at} bytes for ${count} entries`,
    );
  }
  const entries = [];
  for (; at < body.length; at += ENTRY_BYTES) {
    entries.push({ deviceId: view.getUint32(at), createdAt: number(view.getBigUint64(at + 4)) });
  }
  const list = { username, identityKey, serial, issuedAt, lastDeviceId, entries };
  const broken = problem(list);
  if (broken) {
    throw new MalformedDeviceList(broken);
  }
  return list;
}

/**
 * Signs `list` with the identity key's private CryptoKey: {body, signature}. Throws if the key is not the one the
 * list names (the signature would not verify under it).
 */
export async function signList(list, privateKey) {
  const body = encodeList(list);
  const signature = await ed25519Sign(privateKey, body);
  if (!(await ed25519Verify(list.identityKey, body, signature))) {
    throw new Error('the list names another identity key than the signer');
  }
  return { body, signature };
}

/**
 * The list, if `identityKey` (the one the caller already trusts for the account: pinned, or the pending identity's)
 * signed exactly `signed.body`, and the body is a well-formed list for `username` naming that key. Checks in that
 * order, nothing parsed before the signature, and throws DeviceListRefused with the first failure's reason. A list
 * that verifies was signed by the holder of that identity key for that account; whether it is newer than another
 * is isDescendant's question.
 */
export async function verifyList(signed, username, identityKey) {
  if (!(await ed25519Verify(identityKey, signed.body, signed.signature))) {
    throw new DeviceListRefused(
      'badSignature',
      "the device list is not signed by the account's identity key",
    );
  }
  let list;
  try {
    list = parseList(signed.body);
  } catch (e) {
    if (e instanceof MalformedDeviceList) {
      throw new DeviceListRefused('malformed', 'the device list is malformed: ' + e.message);
    }
    throw e;
  }
  if (list.username !== username) {
    throw new DeviceListRefused('wrongUsername', 'the device list is for another account');
  }
  if (!equal(list.identityKey, identityKey)) {
    throw new DeviceListRefused('wrongIdentity', 'the device list names another identity key');
  }
  return list;
}

/** The listed device ids, in increasing order; a legacy account's (null) is [1]. */
export function deviceIds(list) {
  return list ? list.entries.map((e) => e.deviceId) : [FIRST_DEVICE];
}

const serialOf = (list) => (list ? list.serial : 0);
const lastDeviceIdOf = (list) => (list ? list.lastDeviceId : FIRST_DEVICE);

function isUnchangedFrom(earlier, entry) {
  if (!earlier) {
    return entry.deviceId === FIRST_DEVICE; // legacy: device 1, with any createdAt
  }
  const before = earlier.entries.find((e) => e.deviceId === entry.deviceId);
  return !!before && before.createdAt === entry.createdAt;
}

/**
 * True if `next` is a descendant of `earlier` (null: legacy): a higher serial, a lastDeviceId at least as high, and
 * every entry either in `earlier` unchanged or new with an id above its lastDeviceId. So a removed id never comes
 * back and an entry never changes. Both lists verified for one account and key (throws otherwise).
 */
export function isDescendant(earlier, next) {
  if (
    earlier &&
    (earlier.username !== next.username || !equal(earlier.identityKey, next.identityKey))
  ) {
    throw new Error('the lists belong to different accounts or keys');
  }
  return (
    next.serial > serialOf(earlier) &&
    next.lastDeviceId >= lastDeviceIdOf(earlier) &&
    next.entries.every((e) => e.deviceId > lastDeviceIdOf(earlier) || isUnchangedFrom(earlier, e))
  );
}

/** True if `next` is a descendant of `stored` with a serial one higher: the only lists the server stores. */
export function isSuccessor(stored, next) {
  return isDescendant(stored, next) && next.serial === serialOf(stored) + 1;
}

/**
 * A client's verdict on the list the server serves for `username`, whose identity key is `identityKey`, against
 * the list it pinned (docs/protocol.md, the pin table; Java: DeviceTrust.check):
 * - {verdict: 'accepted', signed, list, added, removed}: a descendant; pin `signed`, delete the sessions of the
 *   `removed` ids; `added` are the ids listed now and not in the pin (for a legacy pin: not device 1);
 * - {verdict: 'unchanged'}: the pinned body again, or still no list for a legacy account;
 * - {verdict: reason}, a reason of UNTRUSTED or NOT_NEWER: keep the pin and warn.
 * So a server that adds a device the identity key did not sign, serves an older list, or one of two lists signed
 * with one serial changes nothing a client does.
 *
 * @param pinned the pinned list (verified), or null for none (legacy)
 * @param served the served {body, signature}, or null if the server serves no list
 */
export async function judgeServedList(username, identityKey, pinned, served) {
  if (pinned && (pinned.username !== username || !equal(pinned.identityKey, identityKey))) {
    throw new Error('the pin is for another account or key');
  }
  if (!served) {
    return { verdict: pinned ? 'rollback' : 'unchanged' };
  }
  let list;
  try {
    list = await verifyList(served, username, identityKey);
  } catch (e) {
    if (e instanceof DeviceListRefused) {
      return { verdict: e.reason };
    }
    throw e;
  }
  if (list.serial < serialOf(pinned)) {
    return { verdict: 'rollback' };
  }
  if (list.serial === serialOf(pinned)) {
    return { verdict: equal(served.body, encodeList(pinned)) ? 'unchanged' : 'fork' };
  }
  if (!isDescendant(pinned, list)) {
    return { verdict: 'notDescendant' };
  }
  const before = deviceIds(pinned);
  const now = deviceIds(list);
  return {
    verdict: 'accepted',
    signed: served,
    list,
    added: now.filter((id) => !before.includes(id)),
    removed: before.filter((id) => !now.includes(id)),
  };
}

/** Which signed prekey signature a device may present: kept with X3DH, which checks it in every bundle. */
export { signedPreKeyVerifies } from './x3dh.js';
