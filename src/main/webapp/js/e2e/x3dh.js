// X3DH with separate Ed25519 (signing) and X25519 (DH) identity keys (docs/protocol.md, "X3DH").
import { ascii, concat, equal, utf8, u8 } from '../lib/bytes.js';
import { DecryptionFailed, ed25519Verify, x25519 } from '../lib/crypto.js';
import { FIRST_DEVICE, isDeviceId } from '../lib/device-ids.js';
import { preKeyHeaderBytes } from './envelope.js';
import { x3dhSecret } from './kdf.js';
import * as ratchet from './ratchet.js';

export const IDENTITY_DH_LABEL = ascii('SecureCom identity DH key v1');
export const SIGNED_PREKEY_LABEL = ascii('SecureCom signed prekey v2');
export const SIGNED_PREKEY_V3_LABEL = ascii('SecureCom signed prekey v3');

/** Initiators refuse a signed prekey made more than 60 days ago (its owner rotates weekly) or a day in the future. */
export const MAX_SIGNED_PREKEY_AGE_SECONDS = 60 * 86400;
export const MAX_CLOCK_SKEW_SECONDS = 86400;

/** "SecureCom signed prekey v2" || u64(keyId) || u64(createdAt seconds) || publicKey: what the identity key signs. */
export function signedPreKeyMessage(keyId, createdAt, publicKey) {
  const ids = new DataView(new ArrayBuffer(16));
  ids.setBigUint64(0, BigInt(keyId));
  ids.setBigUint64(8, BigInt(createdAt));
  return concat(SIGNED_PREKEY_LABEL, new Uint8Array(ids.buffer), publicKey);
}

/**
 * "SecureCom signed prekey v3" || u32(deviceId) || u64(keyId) || u64(createdAt seconds) || publicKey: version 2's
 * message naming the device whose prekey it is. Which version a device may present: js/e2e/devices.js.
 */
export function signedPreKeyMessageV3(deviceId, keyId, createdAt, publicKey) {
  const ids = new DataView(new ArrayBuffer(20));
  ids.setUint32(0, deviceId);
  ids.setBigUint64(4, BigInt(keyId));
  ids.setBigUint64(12, BigInt(createdAt));
  return concat(SIGNED_PREKEY_V3_LABEL, new Uint8Array(ids.buffer), publicKey);
}

/** True if the bundle's signed prekey was made within the accepted age of `nowSeconds` (docs/protocol.md, Keys). */
export function isFresh(bundle, nowSeconds) {
  const made = bundle.signedPreKey.createdAt;
  return (
    made >= nowSeconds - MAX_SIGNED_PREKEY_AGE_SECONDS &&
    made <= nowSeconds + MAX_CLOCK_SKEW_SECONDS
  );
}
const SESSION_LABEL = ascii('SecureCom session v1');

/** The registry refused trust: a signature does not verify, or a key is malformed or of small order. */
export class UntrustedBundle extends Error {
  constructor() {
    super('the key bundle does not verify');
    this.name = 'UntrustedBundle';
  }
}

export function identityDhMessage(identityDhKey) {
  return concat(IDENTITY_DH_LABEL, identityDhKey);
}

/** True only if the keys have the right lengths and the identity DH key is signed (with its label) by IKsig. */
export async function isSelfConsistent(identity) {
  return (
    !!identity &&
    identity.identityKey?.length === 32 &&
    identity.identityDhKey?.length === 32 &&
    ed25519Verify(
      identity.identityKey,
      identityDhMessage(identity.identityDhKey),
      identity.identityDhSignature,
    )
  );
}

function validKeyId(id) {
  return Number.isSafeInteger(id) && id >= 0;
}

/**
 * True if `signature` vouches for the signed prekey (keyId, createdAt, publicKey) as device `deviceId`'s: a
 * version 3 signature naming `deviceId`, or, for device 1 only, also a version 2 one (device 1 was an account's only
 * device before version 3, and ids are never reused). So the registry cannot present one device's prekey as
 * another's. False, never an exception, for an invalid device id, key id, time or key.
 */
export async function signedPreKeyVerifies(
  identityKey,
  deviceId,
  keyId,
  createdAt,
  publicKey,
  signature,
) {
  if (
    !isDeviceId(deviceId) ||
    !validKeyId(keyId) ||
    !validKeyId(createdAt) ||
    publicKey?.length !== 32
  ) {
    return false;
  }
  return (
    (await ed25519Verify(
      identityKey,
      signedPreKeyMessageV3(deviceId, keyId, createdAt, publicKey),
      signature,
    )) ||
    (deviceId === FIRST_DEVICE &&
      (await ed25519Verify(
        identityKey,
        signedPreKeyMessage(keyId, createdAt, publicKey),
        signature,
      )))
  );
}

/**
 * Both signatures and every key length of a bundle; UntrustedBundle if anything fails. The signed prekey must be
 * signed for the bundle's `deviceId` (absent: device 1), as signedPreKeyVerifies says.
 */
export async function verifyBundle(b) {
  const spk = b.signedPreKey;
  const opk = b.oneTimePreKey;
  const ok =
    (await isSelfConsistent(b)) &&
    spk &&
    (await signedPreKeyVerifies(
      b.identityKey,
      b.deviceId ?? FIRST_DEVICE,
      spk.keyId,
      spk.createdAt,
      spk.publicKey,
      spk.signature,
    )) &&
    (!opk || (validKeyId(opk.keyId) && opk.publicKey?.length === 32));
  if (!ok) {
    throw new UntrustedBundle();
  }
}

function lengthPrefixed(name) {
  const bytes = utf8(name);
  if (bytes.length === 0 || bytes.length > 255) {
    throw new Error('username must be 1-255 UTF-8 bytes');
  }
  return concat(u8(bytes.length), bytes);
}

/** The session's associated data, initiator first. */
export function associatedData(
  initiatorName,
  initiatorIk,
  initiatorIkDh,
  responderName,
  responderIk,
  responderIkDh,
) {
  return concat(
    SESSION_LABEL,
    lengthPrefixed(initiatorName),
    initiatorIk,
    initiatorIkDh,
    lengthPrefixed(responderName),
    responderIk,
    responderIkDh,
  );
}

function newState(role, me, myName, peerName, peerIk, peerIkDh, preKeyHeader) {
  const ad =
    role === 'initiator'
      ? associatedData(myName, me.identityKey, me.identityDhKey, peerName, peerIk, peerIkDh)
      : associatedData(peerName, peerIk, peerIkDh, myName, me.identityKey, me.identityDhKey);
  return {
    version: 1,
    role,
    localName: myName,
    localIdentityKey: me.identityKey,
    localIdentityDhKey: me.identityDhKey,
    peerName,
    peerIdentityKey: peerIk,
    peerIdentityDhKey: peerIkDh,
    preKeyHeader,
    associatedData: ad,
    awaitingReply: false,
    rootKey: null,
    sendingRatchet: null,
    receivingRatchetKey: null,
    sendingChainKey: null,
    receivingChainKey: null,
    sendCounter: 0,
    receiveCounter: 0,
    previousSendCounter: 0,
    skipped: new Map(),
    evicted: [],
    previousChains: [],
  };
}

/**
 * Starts a session as initiator. `me` = {identityKey, identityDhKey, dhPrivateKey}; `keys.next()` gives fresh
 * X25519 pairs (the ephemeral key first, then the first ratchet key). Returns the session state.
 */
export async function initiate(me, myName, bundle, keys) {
  await verifyBundle(bundle);
  const ephemeral = await keys.next();
  const spk = bundle.signedPreKey.publicKey;
  const opk = bundle.oneTimePreKey;
  const header = preKeyHeaderBytes({
    identityKey: me.identityKey,
    identityDhKey: me.identityDhKey,
    baseKey: ephemeral.publicKey,
    signedPreKeyId: bundle.signedPreKey.keyId,
    oneTimePreKeyId: opk ? opk.keyId : null,
  });
  const state = newState(
    'initiator',
    me,
    myName,
    bundle.username,
    bundle.identityKey,
    bundle.identityDhKey,
    header,
  );
  state.awaitingReply = true;
  try {
    const dhs = [
      await x25519(me.dhPrivateKey, spk),
      await x25519(ephemeral.privateKey, bundle.identityDhKey),
      await x25519(ephemeral.privateKey, spk),
    ];
    if (opk) {
      dhs.push(await x25519(ephemeral.privateKey, opk.publicKey));
    }
    await ratchet.initInitiator(state, await x3dhSecret(dhs), spk, keys);
  } catch (e) {
    if (e instanceof DecryptionFailed) {
      throw new UntrustedBundle();
    }
    throw e;
  }
  return state;
}

/**
 * Completes X3DH as responder from a parsed prekey header. `initiator` is the sender's published identity;
 * `preKeys` has signedPreKey(id) and oneTimePreKey(id), each a pair or null. Nothing is deleted here.
 */
export async function respond(me, myName, initiator, preKey, preKeys) {
  if (
    !(await isSelfConsistent(initiator)) ||
    !equal(initiator.identityKey, preKey.identityKey) ||
    !equal(initiator.identityDhKey, preKey.identityDhKey)
  ) {
    throw new DecryptionFailed();
  }
  const spk = await preKeys.signedPreKey(preKey.signedPreKeyId);
  if (!spk) {
    throw new DecryptionFailed();
  }
  const dhs = [
    await x25519(spk.privateKey, preKey.identityDhKey),
    await x25519(me.dhPrivateKey, preKey.baseKey),
    await x25519(spk.privateKey, preKey.baseKey),
  ];
  if (preKey.oneTimePreKeyId !== null) {
    const opk = await preKeys.oneTimePreKey(preKey.oneTimePreKeyId);
    if (!opk) {
      throw new DecryptionFailed();
    }
    dhs.push(await x25519(opk.privateKey, preKey.baseKey));
  }
  const state = newState(
    'responder',
    me,
    myName,
    initiator.username,
    preKey.identityKey,
    preKey.identityDhKey,
    preKey.bytes,
  );
  ratchet.initResponder(state, await x3dhSecret(dhs), spk);
  return state;
}
