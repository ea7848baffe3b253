// The plaintext inside every envelope (docs/protocol.md, "Payload"): {"id","body","sentAt"} as UTF-8 JSON.
import { fromUtf8, utf8 } from '../lib/bytes.js';
import { ID } from '../lib/wire.js';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?Z$/;

function isInstant(text) {
  const m = INSTANT.exec(text);
  if (!m) {
    return false;
  }
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
    && h < 24 && mi < 60 && s < 60;
}

/** An ISO-8601 UTC instant ending in Z, as Java's Instant.toString writes it (no fraction when it is zero). */
export function instantNow(date = new Date()) {
  return date.toISOString().replace('.000Z', 'Z');
}

/** Compact JSON in the member order id, body, sentAt (the Java encoder's exact output). */
export function encodePayload({ id, body, sentAt }) {
  if (!ID.test(id) || typeof body !== 'string' || !isInstant(sentAt)) {
    throw new Error('payload needs a relay id, a body and a time');
  }
  return utf8(JSON.stringify({ id, body, sentAt }));
}

/** {id, body, sentAt}, or null if the bytes are not an object of these three valid strings. */
export function decodePayload(bytes) {
  let value;
  try {
    value = JSON.parse(fromUtf8(bytes));
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return null;
  }
  const { id, body, sentAt } = value;
  if (typeof id !== 'string' || !ID.test(id) || typeof body !== 'string' || typeof sentAt !== 'string'
      || !isInstant(sentAt)) {
    return null;
  }
  return { id, body, sentAt };
}
