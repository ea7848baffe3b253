// This user's keys: the identity (Ed25519 IKsig and X25519 IKdh), signed prekeys and one-time prekeys. Private
// keys are non-extractable CryptoKeys; IndexedDB keeps them as they are. Private halves are saved before the
// public halves are uploaded, so the server never hands out a prekey this browser cannot answer.
import { base64 } from '../lib/bytes.js';
import { ed25519Generate, ed25519Sign, x25519Generate } from '../lib/crypto.js';
import { identityDhMessage, signedPreKeyMessage } from '../e2e/x3dh.js';

export const INITIAL_ONE_TIME_PREKEYS = 100;
export const PREKEY_LOW_WATER = 25;
export const PREKEY_BATCH = 75;
export const SIGNED_PREKEY_LIFETIME_MS = 7 * 24 * 3600 * 1000;
export const KEPT_SIGNED_PREKEYS = 3;

export async function generateIdentity() {
  const signing = await ed25519Generate();
  const dh = await x25519Generate();
  const dhSignature = await ed25519Sign(signing.privateKey, identityDhMessage(dh.publicKey));
  return { signing, dh, dhSignature };
}

/**
 * A new signed prekey entry with the next id, signed over its id and creation time (protocol v2). `createdAt` is in
 * milliseconds (for rotation), `createdAtSeconds` what is signed and published.
 */
export async function newSignedPreKey(account) {
  const keyId = Math.max(0, ...account.signedPreKeys.map((k) => k.keyId)) + 1;
  const pair = await x25519Generate();
  const createdAt = Date.now();
  const createdAtSeconds = Math.floor(createdAt / 1000);
  const signature = await ed25519Sign(
    account.identity.signing.privateKey,
    signedPreKeyMessage(keyId, createdAtSeconds, pair.publicKey),
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
