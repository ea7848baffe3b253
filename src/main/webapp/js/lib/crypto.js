// Small wrappers over WebCrypto: the only place that calls crypto.subtle. Callers see byte strings and opaque
// private CryptoKeys; nonces and keys are never reused by construction of the callers (see docs/protocol.md).
import { concat, fromHex, isZero } from './bytes.js';

const subtle = globalThis.crypto.subtle;

/** The one error for anything that did not verify or decrypt; it says nothing about which check failed. */
export class DecryptionFailed extends Error {
  constructor() {
    super('decryption failed');
    this.name = 'DecryptionFailed';
  }
}

/** A new AES-256-GCM key, non-extractable: its bytes never reach script (the browser store's storage key). */
export function newAesGcmKey() {
  return subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

export async function sha256(data) {
  return new Uint8Array(await subtle.digest('SHA-256', data));
}

export async function sha512(data) {
  return new Uint8Array(await subtle.digest('SHA-512', data));
}

export async function hmacSha256(key, data) {
  const k = await subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', k, data));
}

/** HKDF-SHA256 (RFC 5869), extract then expand, L bytes. */
export async function hkdf(ikm, salt, info, length) {
  const k = await subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  const bits = await subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt, info },
    k,
    length * 8,
  );
  return new Uint8Array(bits);
}

/** An AES-256-GCM key for one direction or one message; not extractable. */
export async function aesKey(raw) {
  return subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

/** ciphertext || 16-byte tag. */
export async function aesGcmSeal(key, nonce, plaintext, associatedData) {
  const k = key instanceof CryptoKey ? key : await aesKey(key);
  const out = await subtle.encrypt(
    { name: 'AES-GCM', iv: nonce, additionalData: associatedData, tagLength: 128 },
    k,
    plaintext,
  );
  return new Uint8Array(out);
}

/** The plaintext, or DecryptionFailed. */
export async function aesGcmOpen(key, nonce, sealed, associatedData) {
  const k = key instanceof CryptoKey ? key : await aesKey(key);
  try {
    const out = await subtle.decrypt(
      { name: 'AES-GCM', iv: nonce, additionalData: associatedData, tagLength: 128 },
      k,
      sealed,
    );
    return new Uint8Array(out);
  } catch {
    throw new DecryptionFailed();
  }
}

/** A fresh X25519 key pair: {privateKey: CryptoKey (not extractable), publicKey: 32 bytes}. */
export async function x25519Generate() {
  const pair = await subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']);
  return {
    privateKey: pair.privateKey,
    publicKey: new Uint8Array(await subtle.exportKey('raw', pair.publicKey)),
  };
}

/**
 * X25519(private, public). DecryptionFailed if the peer's key is malformed or the result is all zeros (a
 * small-order point, RFC 7748 section 6.1).
 */
export async function x25519(privateKey, publicBytes) {
  let shared;
  try {
    const pub = await subtle.importKey('raw', publicBytes, { name: 'X25519' }, true, []);
    shared = new Uint8Array(
      await subtle.deriveBits({ name: 'X25519', public: pub }, privateKey, 256),
    );
  } catch {
    throw new DecryptionFailed();
  }
  if (isZero(shared)) {
    throw new DecryptionFailed();
  }
  return shared;
}

// The scalar 8 (clamped: 2^254 + 8), Java's probe (com.securecom.protocol.devices.LinkCode.PROBE). Like every
// clamped scalar it is a multiple of 8 whose eighth is below the prime order of the curve's and the twist's large
// subgroup, so its agreement with a point is all zeros exactly when the point is of small order. Not a secret: it only
// tests public keys.
const SMALL_ORDER_PROBE = fromHex(
  '0800000000000000000000000000000000000000000000000000000000000000',
);
let smallOrderProbe;

/** True if the 32-byte X25519 public key is of small order: every agreement with it yields all zeros. */
export async function isSmallOrderX25519(publicBytes) {
  smallOrderProbe ??= subtle.importKey(
    'pkcs8',
    concat(PKCS8_X25519, SMALL_ORDER_PROBE),
    { name: 'X25519' },
    false,
    ['deriveBits'],
  );
  try {
    await x25519(await smallOrderProbe, publicBytes);
    return false;
  } catch (e) {
    if (e instanceof DecryptionFailed) {
      return true;
    }
    throw e;
  }
}

/** A fresh Ed25519 key pair: {privateKey: CryptoKey (not extractable), publicKey: 32 bytes}. */
export async function ed25519Generate() {
  const pair = await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
  return {
    privateKey: pair.privateKey,
    publicKey: new Uint8Array(await subtle.exportKey('raw', pair.publicKey)),
  };
}

export async function ed25519Sign(privateKey, message) {
  return new Uint8Array(await subtle.sign('Ed25519', privateKey, message));
}

/** True only if signature is a valid 64-byte Ed25519 signature of message by the 32-byte publicKey. */
export async function ed25519Verify(publicKey, message, signature) {
  if (!publicKey || publicKey.length !== 32 || !signature || signature.length !== 64) {
    return false;
  }
  try {
    const pub = await subtle.importKey('raw', publicKey, 'Ed25519', true, ['verify']);
    return await subtle.verify('Ed25519', pub, signature, message);
  } catch {
    return false;
  }
}

// PKCS#8 wrapping of a raw 32-byte key (RFC 8410): the identity keys kept as bytes, and fixed private keys of the
// published test vectors.
const PKCS8_X25519 = fromHex('302e020100300506032b656e04220420');
const PKCS8_ED25519 = fromHex('302e020100300506032b657004220420');

function jwkPublic(jwk) {
  const b64 = jwk.x.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/**
 * The key pair of a 32-byte X25519 private key: {privateKey: CryptoKey (not extractable), publicKey: 32 bytes}.
 * The public key is read from an extractable import that is dropped at once.
 */
export async function x25519FromPrivate(raw) {
  if (!(raw instanceof Uint8Array) || raw.length !== 32) {
    throw new TypeError('an X25519 private key is 32 bytes');
  }
  const pkcs8 = concat(PKCS8_X25519, raw);
  const withPublic = await subtle.importKey('pkcs8', pkcs8, { name: 'X25519' }, true, [
    'deriveBits',
  ]);
  return {
    privateKey: await subtle.importKey('pkcs8', pkcs8, { name: 'X25519' }, false, ['deriveBits']),
    publicKey: jwkPublic(await subtle.exportKey('jwk', withPublic)),
  };
}

/**
 * The key pair of a 32-byte Ed25519 private key (the seed, RFC 8032): {privateKey: CryptoKey (not extractable),
 * publicKey: 32 bytes}. The public key is read from an extractable import that is dropped at once.
 */
export async function ed25519FromSeed(seed) {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) {
    throw new TypeError('an Ed25519 seed is 32 bytes');
  }
  const pkcs8 = concat(PKCS8_ED25519, seed);
  const withPublic = await subtle.importKey('pkcs8', pkcs8, 'Ed25519', true, ['sign']);
  return {
    privateKey: await subtle.importKey('pkcs8', pkcs8, 'Ed25519', false, ['sign']),
    publicKey: jwkPublic(await subtle.exportKey('jwk', withPublic)),
  };
}

/** Test vectors only: the key pair of a given X25519 private key (extractable). */
export async function insecureX25519FromPrivate(raw) {
  const privateKey = await subtle.importKey(
    'pkcs8',
    concat(PKCS8_X25519, raw),
    { name: 'X25519' },
    true,
    ['deriveBits'],
  );
  return { privateKey, publicKey: jwkPublic(await subtle.exportKey('jwk', privateKey)) };
}

/** Test vectors only: the key pair of a given Ed25519 seed (extractable). */
export async function insecureEd25519FromSeed(seed) {
  const privateKey = await subtle.importKey('pkcs8', concat(PKCS8_ED25519, seed), 'Ed25519', true, [
    'sign',
  ]);
  return { privateKey, publicKey: jwkPublic(await subtle.exportKey('jwk', privateKey)) };
}

export function randomBytes(n) {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}
