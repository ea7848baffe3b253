// Linking a device (docs/protocol.md, "Linking a device"; Java: com.securecom.protocol.devices.LinkCode and
// ProvisioningCipher): the code a new device shows, and the provisioning message an existing device of the account
// seals to it. The browser's new device (app/new-device.js) uses it; tests/vectors.html holds it to vectors/link.json.
//
// A link code is {ephemeralKey [32], secret [10], expiresAt, bytes [50], text, qrText, mailboxId [16], mailbox}:
// the new device's one-use X25519 public key E_pub, the secret s, the mailbox's expiry (seconds, a u32) and the forms
// they take. The server sees only the mailbox id, a hash of s, so whoever can read a provisioning message has seen
// the code. Private keys are CryptoKeys, as everywhere in the client (the vectors page imports its fixed ones).
import { ascii, concat, copy, equal, hex, readU32, u32, u8 } from '../lib/bytes.js';
import {
  aesGcmOpen,
  aesGcmSeal,
  DecryptionFailed,
  hkdf,
  isSmallOrderX25519,
  sha256,
  x25519,
} from '../lib/crypto.js';
import { isDeviceId } from '../lib/device-ids.js';
import { USERNAME } from '../lib/usernames.js';
import { pad, unpad } from './padding.js';

/** The version byte of a code. */
export const CODE_VERSION = 1;
export const CODE_BYTES = 50;
export const SECRET_BYTES = 10;
export const MAILBOX_BYTES = 16;
/** A code is still taken this long after its mailbox's expiry (clocks differ). */
export const GRACE_SECONDS = 120;
/** What the QR form starts with. */
export const QR_PREFIX = 'SECURECOM:';
/** Longer input is refused unread. */
export const MAX_TEXT_LENGTH = 1000;
/** Why readLinkCode refuses a text, in the order of its checks (Java: LinkCodeException.Reason). */
export const REASONS = Object.freeze(['unreadable', 'checksum', 'version', 'key']);

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32
const TEXT_CHARS = (CODE_BYTES * 8) / 5;
const CHECKED_BYTES = CODE_BYTES - 3;
const CHECKSUM_LABEL = ascii('SecureCom link code v1');
const MAILBOX_LABEL = ascii('SecureCom link mailbox v1');
// Java's Character.isWhitespace, which String.strip also uses; not JavaScript's \s, which takes U+00A0 and U+FEFF
// and leaves out U+001C to U+001F.
const WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]/;

/** A text that is not a usable link code: `reason` is one of REASONS, the first check that failed. */
export class LinkCodeRefused extends Error {
  constructor(reason) {
    super('not a usable link code: ' + reason);
    this.name = 'LinkCodeRefused';
    this.reason = reason;
  }
}

/** SHA-256("SecureCom link mailbox v1" || s)[0..16): the mailbox a new device opens before it has an expiry. */
export async function mailboxIdOf(secret) {
  return (await sha256(concat(MAILBOX_LABEL, secret))).slice(0, MAILBOX_BYTES);
}

async function checksum(first47) {
  return (await sha256(concat(CHECKSUM_LABEL, first47))).slice(0, 3);
}

function base32(bytes) {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const b of bytes) {
    buffer = ((buffer << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out; // 400 bits: no remainder
}

function grouped(plain) {
  return plain.match(/.{5}/g).join('-');
}

/**
 * The code of E_pub (32 bytes), s (10 bytes) and the mailbox's expiry (whole seconds since the epoch, 0 to
 * 2^32 - 1). Throws if a part has another length or range; the key itself is checked only by readLinkCode.
 */
export async function linkCode(ephemeralKey, secret, expiresAt) {
  if (
    !(ephemeralKey instanceof Uint8Array) ||
    ephemeralKey.length !== 32 ||
    !(secret instanceof Uint8Array) ||
    secret.length !== SECRET_BYTES ||
    !Number.isInteger(expiresAt) ||
    expiresAt < 0 ||
    expiresAt > 0xffffffff
  ) {
    throw new Error('a link code is a 32-byte key, 10 bytes and a u32 time');
  }
  const first = concat(u8(CODE_VERSION), ephemeralKey, secret, u32(expiresAt));
  const bytes = concat(first, await checksum(first));
  const plain = base32(bytes);
  const mailboxId = await mailboxIdOf(secret);
  return Object.freeze({
    ephemeralKey: copy(ephemeralKey),
    secret: copy(secret),
    expiresAt,
    bytes,
    text: grouped(plain),
    qrText: QR_PREFIX + plain,
    mailboxId,
    mailbox: hex(mailboxId),
  });
}

/** True if `nowSeconds` (a fraction is dropped, as Java's getEpochSecond) is more than GRACE_SECONDS past expiry. */
export function isExpired(code, nowSeconds) {
  return Math.floor(nowSeconds) > code.expiresAt + GRACE_SECONDS;
}

function strip(text) {
  let start = 0;
  let end = text.length;
  while (start < end && WHITESPACE.test(text[start])) {
    start++;
  }
  while (end > start && WHITESPACE.test(text[end - 1])) {
    end--;
  }
  return text.slice(start, end);
}

/** The 50 bytes of a text as typed, pasted or scanned, or LinkCodeRefused('unreadable'). */
function decodeText(text) {
  const unreadable = () => new LinkCodeRefused('unreadable');
  if (typeof text !== 'string' || text.length > MAX_TEXT_LENGTH) {
    throw unreadable();
  }
  let upper = strip(text).toUpperCase();
  if (upper.startsWith(QR_PREFIX)) {
    upper = upper.slice(QR_PREFIX.length);
  }
  let chars = '';
  for (let i = 0; i < upper.length; i++) {
    const c = upper[i]; // UTF-16 code units, as Java's charAt
    if (c !== '-' && !WHITESPACE.test(c)) {
      chars += c === 'O' ? '0' : c === 'I' || c === 'L' ? '1' : c;
    }
  }
  if (chars.length !== TEXT_CHARS) {
    throw unreadable();
  }
  const out = new Uint8Array(CODE_BYTES);
  let buffer = 0;
  let bits = 0;
  let n = 0;
  for (const c of chars) {
    const value = ALPHABET.indexOf(c);
    if (value < 0) {
      throw unreadable();
    }
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out[n++] = buffer >> (bits - 8);
      bits -= 8;
    }
  }
  return out;
}

/**
 * True if `key` is a canonical X25519 public key (below 2^255 - 19, top bit clear) and not of small order (its
 * shared secret with any key would be all zeros).
 */
async function isUsableKey(key) {
  if (key[31] & 0x80) {
    return false;
  }
  const atLeastP =
    key[31] === 0x7f && key[0] >= 0xed && key.subarray(1, 31).every((b) => b === 0xff);
  return !atLeastP && !(await isSmallOrderX25519(key));
}

/**
 * Reads a code as typed, pasted or scanned: strips it, upper-cases it, drops a leading SECURECOM:, drops every - and
 * whitespace, reads O as 0 and I, L as 1; then checks, in this order, that 80 characters of the alphabet remain, the
 * checksum, the version and the key. Throws LinkCodeRefused with the first check that fails. The expiry is the
 * caller's to check (isExpired), after these.
 */
export async function readLinkCode(text) {
  const code = decodeText(text);
  if (!equal(await checksum(code.subarray(0, CHECKED_BYTES)), code.subarray(CHECKED_BYTES))) {
    throw new LinkCodeRefused('checksum');
  }
  if (code[0] !== CODE_VERSION) {
    throw new LinkCodeRefused('version');
  }
  const key = code.slice(1, 33);
  if (!(await isUsableKey(key))) {
    throw new LinkCodeRefused('key');
  }
  return linkCode(key, code.slice(33, 43), readU32(code, 43));
}

// --- the provisioning message ---------------------------------------------------------------------------------------

/** The version byte of a provisioning message's header. */
export const PROVISIONING_VERSION = 1;
/** The padding block: the plaintext's size is hidden to within 1,024 bytes. */
export const PROVISIONING_BLOCK = 1024;
/** The largest message: what a mailbox takes. */
export const MAX_MESSAGE_BYTES = 184320;

const AD_LABEL = ascii('SecureCom link v1');
const INFO = ascii('SecureCom link v1 message');
const FIXED_HEADER = 1 + 32 + 4 + 4 + 1; // all but the username
const TAG_BYTES = 16;

/** 0x01 || P_pub [32] || u32(linkingDeviceId) || u32(newDeviceId) || u8(len(username)) || username. */
function encodeHeader({ linkingKey, linkingDeviceId, newDeviceId, username }) {
  if (
    !(linkingKey instanceof Uint8Array) ||
    linkingKey.length !== 32 ||
    !isDeviceId(linkingDeviceId) ||
    !isDeviceId(newDeviceId) ||
    typeof username !== 'string' ||
    !USERNAME.test(username)
  ) {
    throw new Error('a header holds a key, two device ids and a username');
  }
  return concat(
    u8(PROVISIONING_VERSION),
    linkingKey,
    u32(linkingDeviceId),
    u32(newDeviceId),
    u8(username.length),
    ascii(username),
  );
}

/** key [32] || nonce [12] = HKDF-SHA256(ikm = shared, salt = s, info = "SecureCom link v1 message", 44). */
async function keyAndNonce(shared, secret) {
  const okm = await hkdf(shared, secret, INFO, 44);
  return { key: okm.slice(0, 32), nonce: okm.slice(32, 44) };
}

function associatedData(header, code) {
  return concat(AD_LABEL, header, code.ephemeralKey, code.mailboxId);
}

/**
 * Seals `plaintext` (the provisioning JSON's UTF-8 bytes) for the device showing `code`, which readLinkCode read.
 * `keys.next()` gives the one-use X25519 pair P, {privateKey: CryptoKey, publicKey: 32 bytes}: in the client a fresh
 * one (x25519Generate), so the key and nonce seal this message only. Throws if a header part breaks its rule or the
 * message would exceed MAX_MESSAGE_BYTES; DecryptionFailed if the code's key is of small order.
 */
export async function sealProvisioning(
  code,
  keys,
  linkingDeviceId,
  newDeviceId,
  username,
  plaintext,
) {
  const linking = await keys.next();
  const header = encodeHeader({
    linkingKey: linking.publicKey,
    linkingDeviceId,
    newDeviceId,
    username,
  });
  const padded = pad(plaintext, PROVISIONING_BLOCK);
  if (header.length + padded.length + TAG_BYTES > MAX_MESSAGE_BYTES) {
    throw new Error('the provisioning message is too large');
  }
  const { key, nonce } = await keyAndNonce(
    await x25519(linking.privateKey, code.ephemeralKey),
    code.secret,
  );
  return concat(header, await aesGcmSeal(key, nonce, padded, associatedData(header, code)));
}

/**
 * Opens a message with the new device's half of `code`: E's private key (a CryptoKey). Returns {header:
 * {linkingKey, linkingDeviceId, newDeviceId, username}, plaintext}, authenticated. DecryptionFailed, and nothing
 * more, if the message is malformed (length, version, a device id or the username outside its rule), the linking
 * key is of small order, the tag does not verify with the AD, or the padding is wrong.
 */
export async function openProvisioning(code, ephemeralPrivateKey, message) {
  if (
    !(message instanceof Uint8Array) ||
    message.length < FIXED_HEADER ||
    message.length > MAX_MESSAGE_BYTES
  ) {
    throw new DecryptionFailed();
  }
  const nameLength = message[FIXED_HEADER - 1];
  if (
    message[0] !== PROVISIONING_VERSION ||
    message.length - FIXED_HEADER < nameLength + TAG_BYTES
  ) {
    throw new DecryptionFailed();
  }
  const headerLength = FIXED_HEADER + nameLength;
  const header = {
    linkingKey: message.slice(1, 33),
    linkingDeviceId: readU32(message, 33),
    newDeviceId: readU32(message, 37),
    // One character per byte: a byte outside ASCII is outside the username rule.
    username: String.fromCharCode(...message.subarray(FIXED_HEADER, headerLength)),
  };
  if (
    !isDeviceId(header.linkingDeviceId) ||
    !isDeviceId(header.newDeviceId) ||
    !USERNAME.test(header.username)
  ) {
    throw new DecryptionFailed();
  }
  const { key, nonce } = await keyAndNonce(
    await x25519(ephemeralPrivateKey, header.linkingKey),
    code.secret,
  );
  const padded = await aesGcmOpen(
    key,
    nonce,
    message.subarray(headerLength),
    associatedData(message.subarray(0, headerLength), code),
  );
  return { header, plaintext: unpad(padded, PROVISIONING_BLOCK) };
}
