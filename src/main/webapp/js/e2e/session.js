// All sessions with one peer (docs/protocol.md, "Sessions with a peer"): the current one, used to send, and up to
// five older ones that may still receive. Functions return a new record and never change the one given, so a
// caller persists the result before acting on it, and a message that fails leaves the stored record as it was.
import { equal } from '../lib/bytes.js';
import { DecryptionFailed } from '../lib/crypto.js';
import { parseEnvelope } from './envelope.js';
import { decodePayload, encodePayload } from './payload.js';
import * as ratchet from './ratchet.js';
import * as x3dh from './x3dh.js';

export const MAX_PREVIOUS_SESSIONS = 5;

export function emptyRecord() {
  return { version: 1, sessions: [] };
}

export function current(record) {
  return record.sessions[0] || null;
}

function promote(record, state, replacing) {
  const rest = record.sessions.filter((s) => s !== replacing && s !== state);
  return { version: 1, sessions: [state, ...rest].slice(0, 1 + MAX_PREVIOUS_SESSIONS) };
}

/** A record whose new current session was started with the owner of `bundle` (UntrustedBundle if it fails). */
export async function initiate(record, me, myName, bundle, keys) {
  const state = await x3dh.initiate(me, myName, bundle, keys);
  return promote(record, state, null);
}

/** {record, envelope}: `payload` ({id, body, sentAt}) encrypted with the current session. */
export async function encrypt(record, payload) {
  const session = current(record);
  if (!session) {
    throw new Error('no session');
  }
  const work = ratchet.copyState(session);
  const envelope = await ratchet.encrypt(work, encodePayload(payload));
  return { record: promote(record, work, session), envelope };
}

function checkedPayload(plaintext, relayId) {
  const payload = decodePayload(plaintext);
  if (!payload || payload.id !== relayId) {
    throw new DecryptionFailed();
  }
  return payload;
}

function startedBy(state, message) {
  return state.role === 'responder' && equal(state.preKeyHeader, message.preKey.bytes);
}

async function decryptWith(state, message, relayId, keys) {
  const work = ratchet.copyState(state);
  const payload = checkedPayload(await ratchet.decrypt(work, message, keys), relayId);
  return { work, payload };
}

/**
 * Decrypts an envelope the relay delivered under `relayId`. `ctx` = {me, myName, senderIdentity: async () =>
 * the sender's published identity (asked only when a PreKey message starts a new session), preKeys, keys}.
 * Returns {record, payload, usedOneTimePreKeyId} (the one-time prekey to delete, or null).
 * DuplicateMessage if it was decrypted before; DecryptionFailed for anything else.
 */
export async function decrypt(record, envelope, relayId, ctx) {
  const message = parseEnvelope(envelope);
  if (message.type === 'preKey') {
    const own = record.sessions.find((s) => startedBy(s, message));
    if (own) {
      const { work, payload } = await decryptWith(own, message, relayId, ctx.keys);
      return { record: promote(record, work, own), payload, usedOneTimePreKeyId: null };
    }
    const sender = await ctx.senderIdentity();
    const state = await x3dh.respond(ctx.me, ctx.myName, sender, message.preKey, ctx.preKeys);
    let plaintext;
    try {
      plaintext = await ratchet.decrypt(state, message, ctx.keys);
    } catch (e) {
      throw e instanceof ratchet.DuplicateMessage ? new DecryptionFailed() : e;
    }
    const payload = checkedPayload(plaintext, relayId);
    return { record: promote(record, state, null), payload, usedOneTimePreKeyId: message.preKey.oneTimePreKeyId };
  }
  for (const session of record.sessions) {
    try {
      const { work, payload } = await decryptWith(session, message, relayId, ctx.keys);
      return { record: promote(record, work, session), payload, usedOneTimePreKeyId: null };
    } catch (e) {
      if (!(e instanceof DecryptionFailed)) {
        throw e;
      }
    }
  }
  throw new DecryptionFailed();
}

/** The peer's identity key as the current session knows it. */
export function peerIdentityKey(record) {
  return current(record)?.peerIdentityKey || null;
}
