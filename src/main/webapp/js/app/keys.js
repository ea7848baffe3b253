// This user's keys: the identity (Ed25519 IKsig and X25519 IKdh), signed prekeys and one-time prekeys. Private
// keys are used as non-extractable CryptoKeys; IndexedDB keeps them as they are. Private halves are saved before
// the public halves are uploaded, so the server never hands out a prekey this browser cannot answer.
//
// The identity's two private keys must also reach a device being linked (the provisioning message, e2e/link.js), and
// a non-extractable CryptoKey can never be read again. So an identity made since linked devices keeps them as bytes
// too, in `identity.privateBytes` {signingKey: the Ed25519 seed, dhPrivateKey: X25519}, which the account record
// seals under the storage key like the rest of it; its CryptoKeys are imported from those bytes. An identity made
// before has no bytes: it works as ever but cannot link another device (canLinkDevices).
import { base64, copy, equal } from '../lib/bytes.js';
import {
  ed25519FromSeed,
  ed25519Sign,
  ed25519Verify,
  randomBytes,
  x25519FromPrivate,
  x25519Generate,
} from '../lib/crypto.js';
import { identityDhMessage, signedPreKeyMessage, signedPreKeyMessageV3 } from '../e2e/x3dh.js';

export const INITIAL_ONE_TIME_PREKEYS = 100;
export const PREKEY_LOW_WATER = 25;
export const PREKEY_BATCH = 75;
export const SIGNED_PREKEY_LIFETIME_MS = 7 * 24 * 3600 * 1000;
export const KEPT_SIGNED_PREKEYS = 3;

/** A new identity, {signing, dh, dhSignature, privateBytes}: its private keys kept as bytes (exportable). */
export async function generateIdentity() {
  const signingKey = randomBytes(32); // an Ed25519 private key is 32 random bytes (RFC 8032, section 5.1.5)
  const dhPrivateKey = randomBytes(32); // so is an X25519 one (RFC 7748, section 6.1)
  const signing = await ed25519FromSeed(signingKey);
  const dh = await x25519FromPrivate(dhPrivateKey);
  const dhSignature = await ed25519Sign(signing.privateKey, identityDhMessage(dh.publicKey));
  return { signing, dh, dhSignature, privateBytes: { signingKey, dhPrivateKey } };
}

/** Identity private keys that are not those of the identity they come with. */
export class IdentityMismatch extends Error {
  constructor() {
    super('the identity keys do not belong together: the DH key signature does not verify');
    this.name = 'IdentityMismatch';
  }
}

/**
 * The identity of given private keys, as generateIdentity makes it, with `dhSignature` (the identity DH key's
 * signature by IKsig): for a device being linked (docs/protocol.md, "The new device's steps", check 3).
 * IdentityMismatch if the signature does not verify under the public keys computed from the private ones.
 */
export async function identityFromPrivateKeys({ signingKey, dhPrivateKey, dhSignature }) {
  const signing = await ed25519FromSeed(signingKey);
  const dh = await x25519FromPrivate(dhPrivateKey);
  if (!(await ed25519Verify(signing.publicKey, identityDhMessage(dh.publicKey), dhSignature))) {
    throw new IdentityMismatch();
  }
  return {
    signing,
    dh,
    dhSignature: copy(dhSignature),
    privateBytes: { signingKey: copy(signingKey), dhPrivateKey: copy(dhPrivateKey) },
  };
}

/** True if this account's identity can be sent to a device being linked (its private keys are kept as bytes). */
export function canLinkDevices(account) {
  const bytes = account?.identity?.privateBytes;
  return (
    bytes?.signingKey instanceof Uint8Array &&
    bytes.signingKey.length === 32 &&
    bytes.dhPrivateKey instanceof Uint8Array &&
    bytes.dhPrivateKey.length === 32
  );
}

/** An account made before identities were kept as bytes cannot be the linking device. */
export class IdentityNotExportable extends Error {
  constructor(username) {
    super(
      `The keys of ${username} were made in this browser before linked devices existed and cannot be copied` +
        ' to another device. Link the other device from a device that has them (one linked or registered' +
        ' since), or from the command line client.',
    );
    this.name = 'IdentityNotExportable';
    this.username = username;
  }
}

/**
 * The identity as the provisioning message carries it (docs/protocol.md, "The provisioning message"):
 * {signingKey [32], dhPrivateKey [32], dhSignature [64]}, fresh copies. IdentityNotExportable for an account made
 * before; IdentityMismatch if the bytes kept are not the keys of the account's public identity (never sent then).
 */
export async function identityForProvisioning(account) {
  if (!canLinkDevices(account)) {
    throw new IdentityNotExportable(account?.username);
  }
  const { identity } = account;
  const { signingKey, dhPrivateKey } = identity.privateBytes;
  const signing = await ed25519FromSeed(signingKey);
  const dh = await x25519FromPrivate(dhPrivateKey);
  if (
    !equal(signing.publicKey, identity.signing.publicKey) ||
    !equal(dh.publicKey, identity.dh.publicKey)
  ) {
    throw new IdentityMismatch();
  }
  return {
    signingKey: copy(signingKey),
    dhPrivateKey: copy(dhPrivateKey),
    dhSignature: copy(identity.dhSignature),
  };
}

/**
 * What a signed prekey of `deviceId` signs (docs/protocol.md, "Signed prekeys of a device"): version 3, naming the
 * device, for every device but 1; version 2 for device 1, which the registry requires of it.
 */
export function signedPreKeyMessageFor(deviceId, keyId, createdAtSeconds, publicKey) {
  return deviceId === 1
    ? signedPreKeyMessage(keyId, createdAtSeconds, publicKey)
    : signedPreKeyMessageV3(deviceId, keyId, createdAtSeconds, publicKey);
}

/**
 * A new signed prekey entry with the next id, signed over its id and creation time, and for a device other than 1
 * over the account record's `deviceId` too (signedPreKeyMessageFor): registration, linking and every rotation make
 * theirs here. `createdAt` is in milliseconds (for rotation), `createdAtSeconds` what is signed and published.
 */
export async function newSignedPreKey(account) {
  const keyId = Math.max(0, ...account.signedPreKeys.map((k) => k.keyId)) + 1;
  const pair = await x25519Generate();
  const createdAt = Date.now();
  const createdAtSeconds = Math.floor(createdAt / 1000);
  const signature = await ed25519Sign(
    account.identity.signing.privateKey,
    signedPreKeyMessageFor(account.deviceId ?? 1, keyId, createdAtSeconds, pair.publicKey),
  );
  return {
    keyId,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    signature,
    createdAt,
    createdAtSeconds,
  };
}

/** True if the entry was signed as protocol v2 signs (over id and time); older entries are replaced at once. */
export function isCurrentSignedPreKey(k) {
  return Number.isSafeInteger(k.createdAtSeconds);
}

export function signedPreKeyJson(k) {
  return {
    keyId: k.keyId,
    publicKey: base64(k.publicKey),
    createdAt: k.createdAtSeconds,
    signature: base64(k.signature),
  };
}

/** `count` one-time prekeys with ids from account.nextPreKeyId (the caller saves the advanced account). */
export async function newOneTimePreKeys(account, count) {
  const keys = [];
  for (let i = 0; i < count; i++) {
    const pair = await x25519Generate();
    keys.push({
      owner: account.username,
      keyId: account.nextPreKeyId++,
      privateKey: pair.privateKey,
      publicKey: pair.publicKey,
    });
  }
  return keys;
}

export function oneTimePreKeyJson(k) {
  return { keyId: k.keyId, publicKey: base64(k.publicKey) };
}

/** What `me` is for X3DH. */
export function localIdentity(account) {
  return {
    identityKey: account.identity.signing.publicKey,
    identityDhKey: account.identity.dh.publicKey,
    dhPrivateKey: account.identity.dh.privateKey,
  };
}

export function registrationBody(account, password, oneTimePreKeys) {
  return {
    username: account.username,
    password,
    identityKey: base64(account.identity.signing.publicKey),
    identityDhKey: {
      publicKey: base64(account.identity.dh.publicKey),
      signature: base64(account.identity.dhSignature),
    },
    signedPreKey: signedPreKeyJson(account.signedPreKeys[0]),
    oneTimePreKeys: oneTimePreKeys.map(oneTimePreKeyJson),
  };
}

/** A key source of fresh key pairs for X3DH and the ratchet. */
export const freshKeys = { next: x25519Generate };
