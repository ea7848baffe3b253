// All sessions with one peer (docs/protocol.md, "Sessions with a peer"): up to six, newest first, each bound to the
// peer identity (IKsig and IKdh) it was started with. Sending uses the newest session bound to the pin; the newest
// pinned session is never dropped to make room. Functions return a new record and never change the one given, so
// a caller persists the result before acting on it, and a message that fails leaves the stored record as it was
// (padding and payload are checked inside that transaction too).
import { equal } from '../lib/bytes.js';
import { DecryptionFailed } from '../lib/crypto.js';
import { parseEnvelope } from './envelope.js';
import { pad, unpad } from './padding.js';
import { decodePayload, encodePayload } from './payload.js';
import * as ratchet from './ratchet.js';
import * as x3dh from './x3dh.js';

export const MAX_SESSIONS = 6;

/** Sending needs a session bound to the pin, and there is none: start one from a bundle of the pinned identity. */
export class NoSession extends Error {
  constructor() {
    super('no session with the pinned identity');
    this.name = 'NoSession';
  }
}

export function emptyRecord() {
  return { version: 1, sessions: [] };
}

/** The peer identity a session was started with: {identityKey, identityDhKey}. */
export function peerIdentity(state) {
  return { identityKey: state.peerIdentityKey, identityDhKey: state.peerIdentityDhKey };
}

/** True if the session's peer identity is `identity` (both IKsig and IKdh). */
export function boundTo(state, identity) {
  return (
    !!identity &&
    equal(state.peerIdentityKey, identity.identityKey) &&
    equal(state.peerIdentityDhKey, identity.identityDhKey)
  );
}

/** The newest session of any identity (for inspection; never for sending). */
export function newest(record) {
  return record.sessions[0] || null;
}

/** The session to send on: the newest one bound to `pin`, or null. */
export function current(record, pin) {
  return record.sessions.find((s) => boundTo(s, pin)) || null;
}

/** A record with only the sessions bound to one of `identities` (null entries are ignored). */
export function retain(record, identities) {
  const kept = identities.filter(Boolean);
  return { version: 1, sessions: record.sessions.filter((s) => kept.some((i) => boundTo(s, i))) };
}

/** `state` first; beyond MAX_SESSIONS the oldest go, except the newest session bound to `pin`. */
function promote(record, state, replacing, pin) {
  const sessions = [state, ...record.sessions.filter((s) => s !== replacing && s !== state)];
  const keep = sessions.find((s) => boundTo(s, pin));
  for (let i = sessions.length - 1; sessions.length > MAX_SESSIONS && i >= 0; i--) {
    if (sessions[i] !== keep) {
      sessions.splice(i, 1);
    }
  }
  return { version: 1, sessions };
}

/**
 * A record whose newest session was started with the owner of `bundle` (UntrustedBundle if it fails). The caller
 * has checked that the bundle's identity is the pin (or makes it the pin: first use).
 */
export async function initiate(record, me, myName, bundle, keys) {
  const state = await x3dh.initiate(me, myName, bundle, keys);
  return promote(record, state, null, bundle);
}

/** {record, envelope}: `payload` (see payload.js) padded and encrypted with the session bound to `pin`. */
export async function encrypt(record, pin, payload) {
  const session = current(record, pin);
  if (!session) {
    throw new NoSession();
  }
  const work = ratchet.copyState(session);
  const envelope = await ratchet.encrypt(work, pad(encodePayload(payload)));
  return { record: promote(record, work, session, pin), envelope };
}

/**
 * The payload, if it names the relay id it was delivered under and this browser's device (1, the only one a
 * browser has until it speaks relay version 4); its `fromDevice` cannot be checked, as a version 3 `deliver` names
 * no device (docs/protocol.md, "Payload"). A sent transcript is refused: it is valid only from another device of
 * one's own account, and a browser account has no other device yet.
 */
/** Before linked devices, and where the caller names no check: a text or receipt to device 1. */
const toDeviceOne = (payload) => payload.toDevice === 1 && payload.type !== 'sent';

/**
 * The payload, if it decodes, carries the relay's id and passes `accepts` (the caller's check of its devices and
 * type: docs/protocol.md, "Devices"); else DecryptionFailed, inside the decryption, so the ratchet does not move.
 */
function checkedPayload(plaintext, relayId, accepts = toDeviceOne) {
  const payload = decodePayload(unpad(plaintext));
  if (!payload || payload.id !== relayId || !accepts(payload)) {
    throw new DecryptionFailed();
  }
  return payload;
}

function startedBy(state, message) {
  return state.role === 'responder' && equal(state.preKeyHeader, message.preKey.bytes);
}

async function decryptWith(state, message, relayId, keys, accepts) {
  const work = ratchet.copyState(state);
  const payload = checkedPayload(await ratchet.decrypt(work, message, keys), relayId, accepts);
  return { work, payload };
}

/**
 * Decrypts an envelope the relay delivered under `relayId`. `ctx` = {me, myName, pin (the pinned identity or null),
 * senderIdentity: async (preKey) => the sender's identity {username, identityKey, identityDhKey,
 * identityDhSignature} (asked only when a PreKey message starts a new session), preKeys, keys, accepts (optional:
 * which payloads the caller takes, by their devices and type; by default a text or receipt to device 1)}.
 * Returns {record, payload, peer, sender, usedOneTimePreKeyId}: `peer` is the identity ({identityKey,
 * identityDhKey}) of the session that decrypted, `sender` what senderIdentity answered if a new session started
 * (else null), `usedOneTimePreKeyId` the one-time prekey to delete (or null).
 * LateMessage if its key was evicted, DuplicateMessage if it was decrypted before, whatever senderIdentity throws,
 * and DecryptionFailed for anything else.
 */
export async function decrypt(record, envelope, relayId, ctx) {
  const message = parseEnvelope(envelope);
  const decrypted = (state, work, payload) => ({
    record: promote(record, work, state, ctx.pin),
    payload,
    peer: peerIdentity(work),
    sender: null,
    usedOneTimePreKeyId: null,
  });
  if (message.type === 'preKey') {
    const own = record.sessions.find((s) => startedBy(s, message));
    if (own) {
      const { work, payload } = await decryptWith(own, message, relayId, ctx.keys, ctx.accepts);
      return decrypted(own, work, payload);
    }
    const sender = await ctx.senderIdentity(message.preKey);
    const state = await x3dh.respond(ctx.me, ctx.myName, sender, message.preKey, ctx.preKeys);
    let plaintext;
    try {
      plaintext = await ratchet.decrypt(state, message, ctx.keys);
    } catch (e) {
      throw e instanceof ratchet.DuplicateMessage || e instanceof ratchet.LateMessage
        ? new DecryptionFailed()
        : e;
    }
    const payload = checkedPayload(plaintext, relayId, ctx.accepts);
    return {
      record: promote(record, state, null, ctx.pin),
      payload,
      peer: peerIdentity(state),
      sender,
      usedOneTimePreKeyId: message.preKey.oneTimePreKeyId,
    };
  }
  for (const state of record.sessions) {
    try {
      const { work, payload } = await decryptWith(state, message, relayId, ctx.keys, ctx.accepts);
      return decrypted(state, work, payload);
    } catch (e) {
      if (!(e instanceof DecryptionFailed)) {
        throw e;
      }
    }
  }
  throw new DecryptionFailed();
}
