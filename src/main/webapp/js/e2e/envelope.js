// The envelope the relay carries between two users (docs/protocol.md, "Envelope"), version 2: the ciphertext is
// the padded payload (a multiple of padding.BLOCK bytes) plus the 16-byte tag. Parsing checks only the layout; nothing in an
// envelope is trusted until its ciphertext authenticates.
import { concat, equal, readU32, readU64, u32, u64, u8 } from '../lib/bytes.js';
import { DecryptionFailed } from '../lib/crypto.js';
import { BLOCK } from './padding.js';

export const VERSION = 0x02;
export const TYPE_PREKEY = 0x01;
export const TYPE_NORMAL = 0x02;
export const HEADER_BYTES = 40;
export const PREKEY_HEADER_BYTES = 113;
const TAG_BYTES = 16;
/** The shortest ciphertext: one padded block and the tag. */
export const MIN_CIPHERTEXT_BYTES = BLOCK + TAG_BYTES;
const TOP_BIT_64 = 1n << 63n;
export const MAX_COUNTER = 0xffffffff;

/** Double Ratchet header: ratchetKey [32] || u32(previousCounter) || u32(counter). */
export function headerBytes({ ratchetKey, previousCounter, counter }) {
  return concat(ratchetKey, u32(previousCounter), u32(counter));
}

function readHeader(bytes, at) {
  return {
    ratchetKey: bytes.slice(at, at + 32),
    previousCounter: readU32(bytes, at + 32),
    counter: readU32(bytes, at + 36),
  };
}

/**
 * X3DH prekey header: IKsig [32] || IKdh [32] || EK [32] || u64(signedPreKeyId) || flag [1] || u64(oneTimePreKeyId).
 * Ids are BigInt or safe integers; oneTimePreKeyId is null when no one-time prekey was used.
 */
export function preKeyHeaderBytes({
  identityKey,
  identityDhKey,
  baseKey,
  signedPreKeyId,
  oneTimePreKeyId,
}) {
  const hasOpk = oneTimePreKeyId !== null && oneTimePreKeyId !== undefined;
  return concat(
    identityKey,
    identityDhKey,
    baseKey,
    u64(signedPreKeyId),
    u8(hasOpk ? 1 : 0),
    u64(hasOpk ? oneTimePreKeyId : 0),
  );
}

function readPreKeyHeader(bytes, at) {
  const baseKey = bytes.slice(at + 64, at + 96);
  const signedPreKeyId = readU64(bytes, at + 96);
  const flag = bytes[at + 104];
  const opkId = readU64(bytes, at + 105);
  if (
    (baseKey[31] & 0x80) !== 0 ||
    signedPreKeyId >= TOP_BIT_64 ||
    opkId >= TOP_BIT_64 ||
    flag > 1 ||
    (flag === 0 && opkId !== 0n)
  ) {
    throw new DecryptionFailed();
  }
  return {
    identityKey: bytes.slice(at, at + 32),
    identityDhKey: bytes.slice(at + 32, at + 64),
    baseKey,
    signedPreKeyId,
    oneTimePreKeyId: flag === 1 ? opkId : null,
    bytes: bytes.slice(at, at + PREKEY_HEADER_BYTES),
  };
}

/**
 * {type: 'preKey'|'normal', preKey?, header, headerBytes, ciphertext}, or DecryptionFailed if the envelope is not
 * a well-formed version 2 envelope (version 1, unpadded, is no longer read).
 */
export function parseEnvelope(envelope) {
  const isPreKey = envelope.length >= 2 && envelope[1] === TYPE_PREKEY;
  const fixed = 2 + (isPreKey ? PREKEY_HEADER_BYTES : 0) + HEADER_BYTES;
  if (
    envelope.length < fixed + MIN_CIPHERTEXT_BYTES ||
    envelope[0] !== VERSION ||
    (envelope[1] !== TYPE_PREKEY && envelope[1] !== TYPE_NORMAL) ||
    (envelope.length - fixed - TAG_BYTES) % BLOCK !== 0
  ) {
    throw new DecryptionFailed();
  }
  const preKey = isPreKey ? readPreKeyHeader(envelope, 2) : null;
  const at = fixed - HEADER_BYTES;
  return {
    type: isPreKey ? 'preKey' : 'normal',
    preKey,
    header: readHeader(envelope, at),
    headerBytes: envelope.slice(at, fixed),
    ciphertext: envelope.slice(fixed),
  };
}

export function preKeyMessage(preKeyHeader, header, ciphertext) {
  return concat(u8(VERSION), u8(TYPE_PREKEY), preKeyHeader, header, ciphertext);
}

export function normalMessage(header, ciphertext) {
  return concat(u8(VERSION), u8(TYPE_NORMAL), header, ciphertext);
}

export function samePreKeyHeader(a, b) {
  return equal(a, b);
}
