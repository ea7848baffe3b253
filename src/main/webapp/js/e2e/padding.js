// Padding of the payload inside every envelope (docs/protocol.md, "Padding"): content || 0x80 || 0x00*, a multiple
// of 256 bytes in all, so that an envelope's size tells the relay only the payload's size rounded up to 256 bytes
// (every receipt about one message and every text of up to 150 UTF-8 bytes look alike).
import { DecryptionFailed } from '../lib/crypto.js';

export const BLOCK = 256;
const MARK = 0x80;

/** content || 0x80 || the fewest zeros that make the length a multiple of BLOCK. */
export function pad(content) {
  const out = new Uint8Array((Math.floor(content.length / BLOCK) + 1) * BLOCK);
  out.set(content);
  out[content.length] = MARK;
  return out;
}

/**
 * The content of a padded plaintext. DecryptionFailed if the length is 0 or not a multiple of BLOCK, or if the last
 * byte that is not 0x00 is missing or is not 0x80.
 */
export function unpad(padded) {
  if (padded.length === 0 || padded.length % BLOCK !== 0) {
    throw new DecryptionFailed();
  }
  let i = padded.length - 1;
  while (i >= 0 && padded[i] === 0) {
    i--;
  }
  if (i < 0 || padded[i] !== MARK) {
    throw new DecryptionFailed();
  }
  return padded.slice(0, i);
}
