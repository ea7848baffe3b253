// Relay messages, the plaintext of channel frames (docs/protocol.md, "Relay messages"). Strict decoding.
import { fromUtf8, utf8 } from './bytes.js';
import { parseWithSources } from './json-sources.js';

export const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Required string fields of each message type, in the Java encoder's order. `error` also has an optional `id` (first);
 * `send` has `to` and `envelope` or (version 4) `copies`; the version 4 members are read by `decode` below.
 */
const FIELDS = {
  auth: ['token'],
  ready: ['username'],
  caughtUp: [],
  send: ['id'],
  accepted: ['id'],
  deliver: ['id', 'from', 'envelope', 'sentAt'],
  ack: ['id', 'from'],
  delivered: ['id', 'to'],
  relayed: ['id', 'to'],
  receiptAck: ['id'],
  error: ['code', 'message'],
  ping: [],
  pong: [],
  preKeysLow: ['count'],
  devicesChanged: [],
};

/** Every member of each type, optional ones included, in the Java encoder's order. */
const ORDER = {
  auth: ['token', 'version'],
  ready: ['username', 'version', 'device'],
  caughtUp: [],
  send: ['id', 'to', 'envelope', 'copies'],
  accepted: ['id'],
  deliver: ['id', 'from', 'device', 'envelope', 'sentAt'],
  ack: ['id', 'from', 'device'],
  delivered: ['id', 'to', 'device'],
  relayed: ['id', 'to', 'device'],
  receiptAck: ['id', 'to', 'device'],
  error: ['id', 'code', 'message', 'devices'],
  ping: [],
  pong: [],
  preKeysLow: ['count'],
  devicesChanged: ['serial'],
};

/** Relay message version 4 (linked devices, not yet served): docs/protocol.md, "Version 4". */
const DEVICES_VERSION = 4;
/**
 * The most copies in a send and entries in an error's `devices`: a bound of the protocol, which a decoder enforces
 * whatever the connection's version (version 5 raised it from 32: docs/protocol.md, "Version 5 (groups)").
 */
export const MAX_COPIES = 1024;
/** The most device ids in one entry of `devices`. */
const MAX_DEVICE_IDS = 32;
const MAX_SERIAL = 2 ** 53 - 1;
/** Types whose optional `device` is one top-level member. */
const WITH_DEVICE = new Set(['ready', 'deliver', 'ack', 'delivered', 'relayed']);

/** `preKeysLow.count`: decimal digits, `0` or without a leading zero, at most 9. */
const COUNT = /^(0|[1-9][0-9]{0,8})$/;
/** A device id (and `version`) as written: 1 to 9 digits, no sign, leading zero, fraction or exponent. */
const DEVICE_TEXT = /^[1-9][0-9]{0,8}$/;
/** A serial as written: `0` or digits without leading zero (at most 2^53 - 1, checked apart). */
const SERIAL_TEXT = /^(0|[1-9][0-9]{0,15})$/;

export class MalformedMessage extends Error {
  constructor(why) {
    super('malformed relay message: ' + why);
    this.name = 'MalformedMessage';
  }
}

function allFinite(value) {
  if (typeof value === 'number') {
    return Number.isFinite(value);
  }
  if (value && typeof value === 'object') {
    return Object.values(value).every(allFinite);
  }
  return true;
}

/**
 * The relay message version this client offers (docs/protocol.md, "Versions"): 2 adds `caughtUp` and `preKeysLow`,
 * 3 adds `relayed`, 4 linked devices (`copies`, `device`, `devicesChanged`), 5 groups (one `send` to several users;
 * no new message or member). A server may answer 4 (an older one): then group messages cannot be sent.
 */
export const RELAY_VERSION = 5;

/** The lowest relay version this client accepts in `ready`: 4, linked devices. */
export const LOWEST_RELAY_VERSION = DEVICES_VERSION;

/** The relay version from which a `send` may name several users besides the sender: a group message. */
export const GROUPS_VERSION = 5;

/**
 * The lowest relay version whose connections may carry this decoded message: 4 for `devicesChanged` and a message with
 * `device`, `copies` or `devices`; 3 for `relayed`; 2 for `caughtUp` and `preKeysLow`; else 1.
 */
export function minimumVersion(message) {
  if (
    message.type === 'devicesChanged' ||
    message.device !== undefined ||
    message.copies !== undefined ||
    message.devices !== undefined
  ) {
    return DEVICES_VERSION;
  }
  return { relayed: 3, caughtUp: 2, preKeysLow: 2 }[message.type] ?? 1;
}

/** Messages that may carry an optional `version`: 1 to 9 digits, no sign, leading zero, fraction or exponent. */
const VERSIONED = new Set(['auth', 'ready']);

/**
 * Decodes the UTF-8 bytes (or text) of one relay message into an object {type, ...members}: strings, and numbers for
 * `version`, `device` and `serial`; version 4's `copies` as [{to, device, envelope}] and `devices` as
 * [{user, serial, ids}].
 */
export function decode(input) {
  if (
    typeof input !== 'string' &&
    input.length >= 3 &&
    input[0] === 0xef &&
    input[1] === 0xbb &&
    input[2] === 0xbf
  ) {
    throw new MalformedMessage('byte-order mark');
  }
  let value;
  let sourceOf; // each number's source text tells `2` from `2.0` and `2e0`
  try {
    ({ value, sourceOf } = parseWithSources(typeof input === 'string' ? input : fromUtf8(input)));
  } catch {
    throw new MalformedMessage('not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MalformedMessage('not an object');
  }
  if (!allFinite(value)) {
    throw new MalformedMessage('number out of range');
  }
  const type = value.type;
  if (typeof type !== 'string' || !Object.hasOwn(FIELDS, type)) {
    throw new MalformedMessage('unknown type');
  }
  const message = { type };
  const names =
    type === 'error' && Object.hasOwn(value, 'id') ? ['id', ...FIELDS.error] : FIELDS[type];
  for (const name of names) {
    message[name] = string(value, name);
    if (name === 'id' && !ID.test(message[name])) {
      throw new MalformedMessage('bad id');
    }
    if (name === 'count' && !COUNT.test(message[name])) {
      throw new MalformedMessage('bad count');
    }
  }
  const written = (holder, key, pattern, what) => {
    const v = holder[key];
    const text = sourceOf(holder, key);
    if (typeof v !== 'number' || text === null || !pattern.test(text)) {
      throw new MalformedMessage(what);
    }
    return v;
  };
  const device = (holder, key) =>
    written(holder, key, DEVICE_TEXT, 'a device id must be 1 to 9 digits');
  const serial = (holder, key) => {
    const v = written(holder, key, SERIAL_TEXT, "'serial' must be 0 to 2^53 - 1");
    if (v > MAX_SERIAL) {
      throw new MalformedMessage("'serial' must be 0 to 2^53 - 1");
    }
    return v;
  };
  if (VERSIONED.has(type) && Object.hasOwn(value, 'version')) {
    message.version = written(value, 'version', DEVICE_TEXT, "'version' must be 1 to 9 digits");
  }
  if (WITH_DEVICE.has(type) && Object.hasOwn(value, 'device')) {
    message.device = device(value, 'device');
  }
  if (type === 'ready' && (message.device !== undefined) !== message.version >= DEVICES_VERSION) {
    throw new MalformedMessage('ready names a device exactly from version 4 on');
  }
  if (type === 'send') {
    decodeSend(value, message, device);
  }
  if (type === 'receiptAck' && (Object.hasOwn(value, 'to') || Object.hasOwn(value, 'device'))) {
    message.to = string(value, 'to');
    message.device = device(value, 'device');
  }
  if (type === 'error' && Object.hasOwn(value, 'devices')) {
    message.devices = decodeDevices(value, device, serial);
  }
  if (type === 'devicesChanged') {
    message.serial = serial(value, 'serial');
  }
  return message;
}

function string(holder, name) {
  if (typeof holder[name] !== 'string') {
    throw new MalformedMessage(`'${name}' must be a string`);
  }
  return holder[name];
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `value[name]`: an array of 1 to MAX_COPIES objects. */
function objects(value, name) {
  const array = value[name];
  if (
    !Array.isArray(array) ||
    array.length < 1 ||
    array.length > MAX_COPIES ||
    !array.every(isObject)
  ) {
    throw new MalformedMessage(`'${name}' must be an array of 1 to ${MAX_COPIES} objects`);
  }
  return array;
}

/** A send of one form: `to` and `envelope`, or (version 4) `copies`, never both. */
function decodeSend(value, message, device) {
  if (!Object.hasOwn(value, 'copies')) {
    message.to = string(value, 'to');
    message.envelope = string(value, 'envelope');
    return;
  }
  if (Object.hasOwn(value, 'to') || Object.hasOwn(value, 'envelope')) {
    throw new MalformedMessage('a send has copies or to and envelope, not both');
  }
  message.copies = objects(value, 'copies').map((c) => ({
    to: string(c, 'to'),
    device: device(c, 'device'),
    envelope: string(c, 'envelope'),
  }));
}

/** An error's `devices`: each user once, its ids increasing. */
function decodeDevices(value, device, serial) {
  const devices = objects(value, 'devices').map((d) => {
    const user = string(d, 'user');
    const s = serial(d, 'serial');
    if (!Array.isArray(d.ids) || d.ids.length > MAX_DEVICE_IDS) {
      throw new MalformedMessage(`'ids' must be an array of at most ${MAX_DEVICE_IDS} device ids`);
    }
    const ids = d.ids.map((_, i) => device(d.ids, i));
    if (ids.some((id, i) => i > 0 && id <= ids[i - 1])) {
      throw new MalformedMessage("'ids' must be increasing");
    }
    return { user, serial: s, ids };
  });
  if (new Set(devices.map((d) => d.user)).size !== devices.length) {
    throw new MalformedMessage("'devices' names a user twice");
  }
  return devices;
}

/** Compact JSON with `type` first and the members in the Java encoder's order; refuses what `decode` refuses. */
export function encodeText(message) {
  const order = ORDER[message.type];
  if (!order) {
    throw new Error('unknown message type ' + message.type);
  }
  const out = { type: message.type };
  for (const name of order) {
    if (message[name] === undefined) {
      continue;
    }
    if (name === 'copies') {
      out.copies = message.copies.map((c) => ({
        to: c.to,
        device: c.device,
        envelope: c.envelope,
      }));
    } else if (name === 'devices') {
      out.devices = message.devices.map((d) => ({ user: d.user, serial: d.serial, ids: d.ids }));
    } else {
      out[name] = message[name];
    }
  }
  const text = JSON.stringify(out);
  decode(text); // one copy of the rules: what it refuses is never sent
  return text;
}

export function encode(message) {
  return utf8(encodeText(message));
}
