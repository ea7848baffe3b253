// Relay messages, the plaintext of channel frames (docs/protocol.md, "Relay messages"). Strict decoding.
import { fromUtf8, utf8 } from './bytes.js';

export const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Fields of each message type, in the Java encoder's order. `error` also has an optional `id` (first). */
const FIELDS = {
  auth: ['token'],
  ready: ['username'],
  send: ['id', 'to', 'envelope'],
  accepted: ['id'],
  deliver: ['id', 'from', 'envelope', 'sentAt'],
  ack: ['id', 'from'],
  delivered: ['id', 'to'],
  receiptAck: ['id'],
  error: ['code', 'message'],
  ping: [],
  pong: [],
};

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

/** Decodes the UTF-8 bytes (or text) of one relay message into a flat object {type, ...fields}. */
export function decode(input) {
  let value;
  try {
    value = JSON.parse(typeof input === 'string' ? input : fromUtf8(input));
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
  const names = type === 'error' && Object.hasOwn(value, 'id') ? ['id', ...FIELDS.error] : FIELDS[type];
  for (const name of names) {
    if (typeof value[name] !== 'string') {
      throw new MalformedMessage(`'${name}' must be a string`);
    }
    if (name === 'id' && !ID.test(value[name])) {
      throw new MalformedMessage('bad id');
    }
    message[name] = value[name];
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
  return JSON.stringify(out);
}

export function encode(message) {
  return utf8(encodeText(message));
}
