// Safety numbers (docs/protocol.md, "Safety number"): Signal's numeric fingerprint, version 0, raw keys.
import { concat, utf8 } from '../lib/bytes.js';
import { sha512 } from '../lib/crypto.js';

export const ITERATIONS = 5200;

/** One user's 30-digit half. */
export async function fingerprint(username, identityKey) {
  let hash = await sha512(concat(Uint8Array.of(0, 0), identityKey, utf8(username)));
  for (let i = 1; i < ITERATIONS; i++) {
    hash = await sha512(concat(hash, identityKey));
  }
  let digits = '';
  for (let chunk = 0; chunk < 6; chunk++) {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      value = value * 256 + hash[chunk * 5 + i];
    }
    digits += String(value % 100000).padStart(5, '0');
  }
  return digits;
}

/** The 60 digits both users see: the smaller fingerprint first. */
export async function safetyNumber(nameA, keyA, nameB, keyB) {
  const a = await fingerprint(nameA, keyA);
  const b = await fingerprint(nameB, keyB);
  return a <= b ? a + b : b + a;
}

/** 12 groups of 5 digits separated by single spaces. */
export function display(digits) {
  return digits.match(/.{5}/g).join(' ');
}
