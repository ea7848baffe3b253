// Relay messages, the plaintext of channel frames (docs/protocol.md, "Relay messages"). Strict decoding.
import { fromUtf8, utf8 } from './bytes.js';

export const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Fields of each message type, in the Java encoder's order. `error` also has an optional `id` (first). */
const FIELDS = {
  auth: ['token'],
  ready: ['username'],
  caughtUp: [],
  send: ['id', 'to', 'envelope'],
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
};

/** `preKeysLow.count`: decimal digits, `0` or without a leading zero, at most 9. */
const COUNT = /^(0|[1-9][0-9]{0,8})$/;

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
 * The relay message version this client speaks (docs/protocol.md, "Versions"): 2 adds `caughtUp` and `preKeysLow`,
 * 3 adds `relayed`.
 */
export const RELAY_VERSION = 3;

/** Messages that may carry an optional `version`: 1 to 9 digits, no sign, leading zero, fraction or exponent. */
const VERSIONED = new Set(['auth', 'ready']);
const VERSION_TEXT = /^[1-9][0-9]{0,8}$/;

/** Decodes the UTF-8 bytes (or text) of one relay message into a flat object {type, ...fields}. */
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
  let versionText = null;
  try {
    const text = typeof input === 'string' ? input : fromUtf8(input);
    // The reviver's source text (JSON.parse source text access) tells `2` from `2.0` and `2e0`.
    value = JSON.parse(text, function revive(key, v, context) {
      if (
        key === 'version' &&
        this !== null &&
        typeof this === 'object' &&
        !Array.isArray(this) &&
        Object.hasOwn(this, 'type')
      ) {
        versionText = context?.source ?? null;
      }
      return v;
    });
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
    if (typeof value[name] !== 'string') {
      throw new MalformedMessage(`'${name}' must be a string`);
    }
    if (name === 'id' && !ID.test(value[name])) {
      throw new MalformedMessage('bad id');
    }
    if (name === 'count' && !COUNT.test(value[name])) {
      throw new MalformedMessage('bad count');
    }
    message[name] = value[name];
  }
  if (VERSIONED.has(type) && Object.hasOwn(value, 'version')) {
    if (
      typeof value.version !== 'number' ||
      versionText === null ||
      !VERSION_TEXT.test(versionText)
    ) {
      throw new MalformedMessage("'version' must be 1 to 9 digits");
    }
    message.version = value.version;
  }
  return message;
}

/** Compact JSON with `type` first, as the Java encoder writes it. */
export function encodeText(message) {
  const fields = FIELDS[message.type];
  if (!fields) {
    throw new Error('unknown message type ' + message.type);
  }
  const out = { type: message.type };
  const names = message.type === 'error' && message.id !== undefined ? ['id', ...fields] : fields;
  for (const name of names) {
    if (typeof message[name] !== 'string') {
      throw new Error(`'${name}' must be a string`);
    }
    out[name] = message[name];
  }
  if (VERSIONED.has(message.type) && message.version !== undefined) {
    if (!Number.isInteger(message.version) || !VERSION_TEXT.test(String(message.version))) {
      throw new Error("'version' must be 1 to 9 digits");
    }
    out.version = message.version;
  }
  return JSON.stringify(out);
}

export function encode(message) {
  return utf8(encodeText(message));
}
