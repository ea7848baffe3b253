// Receiving for the Messenger, in the order of docs/protocol.md, "Failures and what a client does": an id handled
// before is acknowledged again; a duplicate is acknowledged and remembered silently; a late message or one that
// cannot be decrypted is acknowledged, remembered, shown as a notice in the conversation and answered with at most
// one `undecryptable` receipt until a message from that peer decrypts again; a PreKey message whose sender's keys
// the registry cannot give now (offline, 5xx, 401, 429) is left unacknowledged and unremembered, and so are later
// messages from that sender on this connection (the relay delivers them again, in order, on the next one). A message
// that decrypts is saved with the ratchet and its id in one transaction, then acknowledged; a text is answered with
// a `delivered` receipt unless it came from a pending identity. Identities: see identities.js.
import { fromBase64 } from '../lib/bytes.js';
import { DecryptionFailed } from '../lib/crypto.js';
import { DuplicateMessage, LateMessage } from '../e2e/ratchet.js';
import * as session from '../e2e/session.js';
import { ApiError, Unreachable } from './api.js';
import { StoredDataDamaged } from './sealed-records.js';
import {
  identityFromJson,
  newContact,
  pendingOf,
  pinOf,
  sameIdentity,
  UntrustedIdentity,
  withPending,
  withRegistryAnswer,
} from './identities.js';
import { freshKeys, localIdentity } from './keys.js';
import { preKeyLookup } from './prekeys.js';
import { inKey, outKey } from './store.js';

/** An outgoing message's states in order; `failed` (refused by the server) and `undecryptable` stand aside. */
const ORDER = ['pending', 'sent', 'reached', 'delivered', 'read'];

/** True if an outgoing message in state `from` may move to `to`: only forward (docs/protocol.md, "Receipts"). */
export function moves(from, to) {
  if (to === 'failed') {
    return from === 'pending';
  }
  if (to === 'undecryptable') {
    return from === 'sent' || from === 'reached';
  }
  const at = ORDER.indexOf(from);
  return at >= 0 && ORDER.indexOf(to) > at;
}

/** An incoming text (messages stored before typed payloads have no kind). */
export const isText = (m) => m.dir === 'in' && (m.kind === undefined || m.kind === 'text');

/** What the user is told, in the conversation and in the banner. */
export const NOTICES = {
  late: (peer) => `A message from ${peer} arrived too late to be read.`,
  undecryptable: (peer) => `A message from ${peer} could not be decrypted.`,
};

/** The registry could not answer now; it may later. */
function transient(e) {
  return (
    e instanceof Unreachable ||
    (e instanceof ApiError && (e.status >= 500 || e.status === 401 || e.status === 429))
  );
}

function expectedFailure(e) {
  return (
    e instanceof DecryptionFailed ||
    e instanceof LateMessage ||
    e instanceof ApiError ||
    e instanceof UntrustedIdentity ||
    e.message === 'not standard padded base64'
  );
}

export async function receive(m, deliver) {
  const { id, from } = deliver;
  const ack = () => m.relay.send({ type: 'ack', id, from });
  if (m.held.has(from)) {
    return undefined; // an earlier message from `from` waits for the registry: keep their order
  }
  if (await m.store.get('seen', [m.owner, from, id])) {
    return ack();
  }
  const contact = await m.contact(from);
  const record = await m.record(from);
  let registry = null;
  let result;
  try {
    result = await session.decrypt(record, fromBase64(deliver.envelope), id, {
      me: localIdentity(m.account),
      myName: m.owner,
      keys: freshKeys,
      preKeys: preKeyLookup(m.store, m.account),
      pin: contact ? pinOf(contact) : null,
      senderIdentity: async (preKey) => {
        if (contact && sameIdentity(contact, preKey)) {
          return pinOf(contact); // the pin: the registry is not asked
        }
        registry = identityFromJson(from, await m.api.identity(m.account.token, from));
        return registry;
      },
    });
  } catch (e) {
    if (e instanceof DuplicateMessage) {
      await m.store.put('seen', { owner: m.owner, from, id });
      return ack();
    }
    if (e instanceof StoredDataDamaged) {
      m.warn(`A message from ${from} waits on the server: ${e.message}`, from);
      return undefined; // our own storage failed, not the message: never acknowledge it, never lose it
    }
    if (transient(e)) {
      m.held.add(from);
      m.warn(`Could not check ${from}'s keys; SecureCom will retry when it reconnects.`, from);
      return undefined;
    }
    if (!expectedFailure(e)) {
      console.error('could not handle a delivery', e);
    }
    return failed(
      m,
      deliver,
      contact,
      record,
      registry,
      e instanceof LateMessage ? 'late' : 'undecryptable',
      ack,
    );
  }
  if (!contact && !result.sender) {
    return failed(m, deliver, contact, record, registry, 'undecryptable', ack); // sessions of no contact: none
  }
  return received(m, deliver, contact, result, registry, ack);
}

/**
 * The contact after a message from `peer` (the identity of the session that decrypted it) authenticated:
 * {contact, record, unconfirmed, changed}. First use pins the sender; another identity than the pin becomes (or
 * stays) pending, and sessions of neither the pin nor the pending identity are deleted.
 */
function afterAuthenticated(m, contact, result, registry) {
  let next = contact || newContact(m.owner, result.sender);
  let { record } = result;
  let changed = !contact;
  const unconfirmed = !sameIdentity(next, result.peer);
  if (unconfirmed && !sameIdentity(next.pending, result.peer)) {
    next = withPending(next, result.sender); // only a new session has an identity of neither: `sender` is set
    record = session.retain(record, [pinOf(next), pendingOf(next)]);
    changed = true;
  }
  if (registry) {
    next = withRegistryAnswer(next, registry);
  }
  return { contact: { ...next, undecryptableSent: false }, record, unconfirmed, changed };
}

async function received(m, deliver, contact, result, registry, ack) {
  const { id, from } = deliver;
  const { payload, usedOneTimePreKeyId } = result;
  const after = afterAuthenticated(m, contact, result, registry);
  let { record, contact: next } = after;
  const now = Date.now();
  let message = null;
  let receipt = null;
  let applied = [];
  if (payload.type === 'text') {
    message = {
      owner: m.owner,
      key: inKey(from, id),
      peer: from,
      id,
      dir: 'in',
      kind: 'text',
      body: payload.body,
      sentAt: payload.sentAt,
      serverSentAt: deliver.sentAt,
      at: now,
      state: 'received',
      unconfirmed: after.unconfirmed,
      seenByUser: false,
    };
    next = {
      ...next,
      lastAt: now,
      lastText: payload.body,
      unread: m.showing(from) ? 0 : (next.unread || 0) + 1,
    };
    receipt = after.unconfirmed ? null : await m.receiptFor(record, next, 'delivered', [id]);
    record = receipt ? receipt.record : record;
  } else if (!after.unconfirmed) {
    applied = await receiptUpdates(m, from, payload); // a pending identity's receipts say nothing about ours
  }
  await m.store.tx(
    ['sessions', 'messages', 'seen', 'contacts', 'oneTimePreKeys', 'outbox'],
    'readwrite',
    (s) => {
      s.sessions.put({ owner: m.owner, peer: from, record });
      s.seen.put({ owner: m.owner, from, id });
      s.contacts.put(next);
      if (message) {
        s.messages.put(message);
      }
      applied.forEach((a) => s.messages.put(a));
      if (receipt) {
        s.outbox.put(receipt.outbox);
      }
      if (usedOneTimePreKeyId !== null && usedOneTimePreKeyId <= BigInt(Number.MAX_SAFE_INTEGER)) {
        s.oneTimePreKeys.delete([m.owner, Number(usedOneTimePreKeyId)]);
      }
    },
  );
  ack();
  if (receipt) {
    m.relay.send(receipt.frame);
  }
  if (after.changed && next.pending) {
    m.warn(
      `${from} has a new key. Read the warning in your conversation with ${from} before you go on.`,
      from,
    );
  }
  if (after.changed) {
    m.emit('identity', { peer: from });
  }
  if (message) {
    m.emit('message', { peer: from, message });
  }
  applied.forEach((a) => m.emit('message', { peer: from, message: a }));
  m.emit('contacts');
  if (message && m.showing(from)) {
    await m.markSeen(from);
  }
}

/** Our messages to `from` that a receipt moves forward (ids we do not know, or sent to others, are ignored). */
async function receiptUpdates(m, from, payload) {
  const updates = [];
  for (const ref of payload.of) {
    const mine = await m.store.get('messages', [m.owner, outKey(ref)]);
    if (mine && mine.dir === 'out' && mine.peer === from && moves(mine.state, payload.receipt)) {
      updates.push({ ...mine, state: payload.receipt });
    }
  }
  return updates;
}

/** A late or undecryptable message: remembered, shown as a notice, answered with at most one receipt. */
async function failed(m, deliver, contact, record, registry, kind, ack) {
  const { id, from } = deliver;
  const notice = {
    owner: m.owner,
    key: inKey(from, id),
    peer: from,
    id,
    dir: 'in',
    kind,
    serverSentAt: deliver.sentAt,
    at: Date.now(),
  };
  let next = contact && registry ? withRegistryAnswer(contact, registry) : contact;
  const receipt =
    next && !next.undecryptableSent
      ? await m.receiptFor(record, next, 'undecryptable', [id])
      : null;
  if (receipt) {
    next = { ...next, undecryptableSent: true };
  }
  await m.store.tx(['sessions', 'messages', 'seen', 'contacts', 'outbox'], 'readwrite', (s) => {
    s.messages.put(notice);
    s.seen.put({ owner: m.owner, from, id });
    if (next !== contact) {
      s.contacts.put(next);
    }
    if (receipt) {
      s.sessions.put({ owner: m.owner, peer: from, record: receipt.record });
      s.outbox.put(receipt.outbox);
    }
  });
  ack();
  if (receipt) {
    m.relay.send(receipt.frame);
  }
  m.warn(NOTICES[kind](from), from);
  m.emit('message', { peer: from, message: notice });
  if (next !== contact) {
    m.emit('identity', { peer: from });
  }
}
