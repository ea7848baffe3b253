// Block padding (docs/protocol.md, "Padding"; Java: com.securecom.protocol.crypto.BlockPadding): content || 0x80 ||
// 0x00*, the total the smallest positive multiple of the block size. The payload inside every envelope pads to
// BLOCK (256) bytes, so that an envelope's size tells the relay only the payload's size rounded up to 256 bytes
// (every receipt about one message and every text of up to 150 UTF-8 bytes look alike); the provisioning message of
// linking pads to 1,024 (js/e2e/link.js).
import { DecryptionFailed } from '../lib/crypto.js';

/** The peer protocol's block: the default of pad and unpad. */
export const BLOCK = 256;
const MARK = 0x80;

/** content || 0x80 || the fewest zeros that make the length a multiple of `block`. */
export function pad(content, block = BLOCK) {
  const out = new Uint8Array((Math.floor(content.length / block) + 1) * block);
  out.set(content);
  out[content.length] = MARK;
  return out;
}

/**
 * The content of a padded plaintext. DecryptionFailed if the length is 0 or not a multiple of `block`, or if the
 * last byte that is not 0x00 is missing or is not 0x80.
 */
export function unpad(padded, block = BLOCK) {
  if (padded.length === 0 || padded.length % block !== 0) {
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
