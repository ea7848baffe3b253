// Receiving for the Messenger, in the order of docs/protocol.md, "Failures and what a client does": an id handled
// before is acknowledged again; a duplicate is acknowledged and remembered silently; a late message or one that
// cannot be decrypted is acknowledged, remembered, shown as a notice in the conversation and answered with at most
// one `undecryptable` receipt until a message from that peer decrypts again; a PreKey message whose sender's keys
// the registry cannot give now (offline, 5xx, 401, 429) is left unacknowledged and unremembered, and so are later
// messages from that sender on this connection (the relay delivers them again, in order, on the next one). A message
// that decrypts is saved with the ratchet and its id in one transaction, then acknowledged; a text is answered with
// a `delivered` receipt unless it came from a pending identity. Identities: see identities.js.
//
// Devices (relay version 4; docs/protocol.md, "Sessions with a peer", "Devices"): everything is per device of the
// sender, `(from, device)`: its sessions and the ids already handled. A delivery from a device that is not in the
// list pinned for its sender makes the browser fetch and judge the list once; still absent, it is acknowledged and
// dropped, never decrypted nor remembered, and the user is told. A payload must name the delivering device as
// `fromDevice` and this one as `toDevice`. A delivery from another device of the own account must be a `sent`
// transcript (a text this account sent to someone else from that device), shown as an outgoing message, or a group
// payload. Group payloads (`groupText`, `groupUpdate`, from anyone): group-inbox.js.
import { fromBase64 } from '../lib/bytes.js';
import { DecryptionFailed } from '../lib/crypto.js';
import { FIRST_DEVICE } from '../lib/device-ids.js';
import { DuplicateMessage, LateMessage } from '../e2e/ratchet.js';
import * as session from '../e2e/session.js';
import { ApiError, Unreachable } from './api.js';
import { Copies } from './copies.js';
import { groupReceived } from './group-inbox.js';
import { pinnedSet } from './device-pins.js';
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
  unsignedDevice: (peer, device) =>
    `A message claiming to come from ${peer}'s device ${device}, which ${peer}'s identity key has not signed, ` +
    'was dropped.',
};

/** True if `device` is in the list pinned for `peer` (no contact or no list: device 1 only). */
const listed = (contact, peer, device) =>
  pinnedSet(peer, contact?.deviceList || null).ids.includes(device);

/** Payload types anyone may send, the own account's other devices included. */
const GROUP_TYPES = ['groupText', 'groupUpdate'];

/**
 * The payload is from `device` to this device, and of a type `from` may send (a `sent` only from the own account,
 * a text or receipt only from another; group payloads from both).
 */
function routedHere(m, from, device, payload) {
  const types = [...(from === m.owner ? ['sent'] : ['text', 'receipt']), ...GROUP_TYPES];
  return (
    payload.fromDevice === device &&
    payload.toDevice === m.deviceId &&
    types.includes(payload.type) &&
    (payload.type !== 'sent' || payload.to !== m.owner)
  );
}

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
  const device = deliver.device ?? FIRST_DEVICE;
  const ack = () => m.relay.send({ type: 'ack', id, from, device });
  if (m.held.has(from)) {
    return undefined; // an earlier message from `from` waits for the registry: keep their order
  }
  if (await m.store.hasSeen(m.owner, from, device, id)) {
    return ack();
  }
  const hold = () => {
    m.held.add(from);
    m.warn(`Could not check ${from}'s keys; SecureCom will retry when it reconnects.`, from);
  };
  let contact = await m.contact(from);
  let registry = null;
  let newList = null; // a first contact's list, judged under the registry's identity
  if (from === m.owner) {
    if (device === m.deviceId) {
      return failed(m, deliver, device, null, null, 'undecryptable', ack); // the server cannot send us our own
    }
    if (!m.ownSet().ids.includes(device)) {
      try {
        await m.refreshOwnList(true);
      } catch {
        return hold();
      }
      if (!m.ownSet().ids.includes(device)) {
        m.warn(NOTICES.unsignedDevice(from, device), from);
        return ack();
      }
    }
  } else if (!listed(contact, from, device)) {
    try {
      if (contact) {
        const judged = await m.judgedList(contact);
        await m.saveJudged(judged);
        contact = judged.contact;
      } else {
        registry = await m.registryIdentity(from);
        newList = (await m.judgedList(newContact(m.owner, registry))).contact.deviceList;
      }
    } catch (e) {
      if (transient(e)) {
        return hold();
      }
      if (!expectedFailure(e)) {
        console.error('could not judge a device list', e);
      }
    }
    if (!listed(contact || { deviceList: newList }, from, device)) {
      m.warn(NOTICES.unsignedDevice(from, device), from);
      return ack(); // not decrypted, not remembered, no receipt
    }
  }
  const own = from === m.owner;
  const pin = own ? m.ownPin() : contact ? pinOf(contact) : null;
  const record =
    (await m.store.deviceSession(m.owner, from, device))?.record || session.emptyRecord();
  let result;
  try {
    result = await session.decrypt(record, fromBase64(deliver.envelope), id, {
      me: localIdentity(m.account),
      myName: m.owner,
      keys: freshKeys,
      preKeys: preKeyLookup(m.store, m.account),
      pin,
      accepts: (payload) => routedHere(m, from, device, payload),
      senderIdentity: async (preKey) => {
        if (pin && sameIdentity(pin, preKey)) {
          return pin; // the pin: the registry is not asked
        }
        if (own) {
          throw new UntrustedIdentity(from, 'notPin'); // our own devices share our identity
        }
        registry = registry || identityFromJson(from, await m.api.identity(m.account.token, from));
        return registry;
      },
    });
  } catch (e) {
    if (e instanceof DuplicateMessage) {
      await m.store.putSeen(m.owner, from, device, id);
      return ack();
    }
    if (e instanceof StoredDataDamaged) {
      m.warn(`A message from ${from} waits on the server: ${e.message}`, from);
      return undefined; // our own storage failed, not the message: never acknowledge it, never lose it
    }
    if (transient(e)) {
      return hold();
    }
    if (!expectedFailure(e)) {
      console.error('could not handle a delivery', e);
    }
    const kind = e instanceof LateMessage ? 'late' : 'undecryptable';
    return failed(m, deliver, device, own ? null : contact, registry, kind, ack);
  }
  const group = GROUP_TYPES.includes(result.payload.type);
  if (own) {
    return group
      ? groupReceived(m, deliver, device, result, null, ack)
      : transcript(m, deliver, device, result, ack);
  }
  if (!contact && !result.sender) {
    return failed(m, deliver, device, contact, registry, 'undecryptable', ack); // sessions of no contact: none
  }
  if (!contact && newList && registry && sameIdentity(registry, result.sender)) {
    result.firstList = newList;
  }
  if (group) {
    const after = afterAuthenticated(m, contact, result, registry);
    return groupReceived(m, deliver, device, result, after, ack);
  }
  return received(m, deliver, device, contact, result, registry, ack);
}

/**
 * The contact after a message from `peer` (the identity of the session that decrypted it) authenticated:
 * {contact, record, unconfirmed, changed}. First use pins the sender; another identity than the pin becomes (or
 * stays) pending, and sessions of neither the pin nor the pending identity are deleted.
 */
function afterAuthenticated(m, contact, result, registry) {
  let next = contact || {
    ...newContact(m.owner, result.sender),
    deviceList: result.firstList || null,
  };
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

async function received(m, deliver, device, contact, result, registry, ack) {
  const { id, from } = deliver;
  const { payload, usedOneTimePreKeyId } = result;
  const after = afterAuthenticated(m, contact, result, registry);
  let { contact: next } = after;
  const copies = new Copies(m);
  copies.set(from, device, after.record);
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
      device,
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
    receipt = after.unconfirmed ? null : await m.receiptFor(copies, next, 'delivered', [id]);
  } else if (!after.unconfirmed) {
    applied = await receiptUpdates(m, from, payload); // a pending identity's receipts say nothing about ours
  }
  await m.store.tx(
    ['deviceSessions', 'messages', 'seenV3', 'contacts', 'oneTimePreKeys', 'outbox'],
    'readwrite',
    (s) => {
      copies.save(s);
      s.seenV3.put({ owner: m.owner, from, device, id });
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

/**
 * A sent transcript from another device of the own account: the text it sent to `to`, shown as an outgoing message
 * in that conversation (a first contact is pinned from the registry, as a first send would). Never receipted.
 */
async function transcript(m, deliver, device, result, ack) {
  const { id } = deliver;
  const { payload, usedOneTimePreKeyId } = result;
  const peer = payload.to;
  let contact = await m.contact(peer);
  if (!contact) {
    try {
      contact = newContact(m.owner, await m.registryIdentity(peer));
    } catch (e) {
      if (transient(e)) {
        m.held.add(m.owner);
        return undefined;
      }
      contact = null; // the text is kept all the same
    }
  }
  const copies = new Copies(m);
  copies.set(m.owner, device, result.record);
  const now = Date.now();
  const existing = await m.store.get('messages', [m.owner, outKey(id)]);
  const message = existing || {
    owner: m.owner,
    key: outKey(id),
    peer,
    id,
    device,
    dir: 'out',
    kind: 'text',
    body: payload.body,
    sentAt: payload.sentAt,
    at: now,
    state: 'sent',
    transcript: true,
  };
  await m.store.tx(
    ['deviceSessions', 'messages', 'seenV3', 'contacts', 'oneTimePreKeys'],
    'readwrite',
    (s) => {
      copies.save(s);
      s.seenV3.put({ owner: m.owner, from: m.owner, device, id });
      s.messages.put(message);
      if (contact) {
        s.contacts.put({ ...contact, lastAt: now, lastText: payload.body });
      }
      if (usedOneTimePreKeyId !== null && usedOneTimePreKeyId <= BigInt(Number.MAX_SAFE_INTEGER)) {
        s.oneTimePreKeys.delete([m.owner, Number(usedOneTimePreKeyId)]);
      }
    },
  );
  ack();
  m.emit('message', { peer, message });
  m.emit('contacts');
  return undefined;
}

/**
 * A late or undecryptable message: remembered, shown as a notice, answered with at most one receipt (to a
 * contact: `contact` is null for the own account's devices, which get none).
 */
async function failed(m, deliver, device, contact, registry, kind, ack) {
  const { id, from } = deliver;
  const notice = {
    owner: m.owner,
    key: inKey(from, id),
    peer: from,
    id,
    device,
    dir: 'in',
    kind,
    serverSentAt: deliver.sentAt,
    at: Date.now(),
  };
  let next = contact && registry ? withRegistryAnswer(contact, registry) : contact;
  const copies = new Copies(m);
  const receipt =
    next && !next.undecryptableSent
      ? await m.receiptFor(copies, next, 'undecryptable', [id])
      : null;
  if (receipt) {
    next = { ...next, undecryptableSent: true };
  }
  await m.store.tx(
    ['deviceSessions', 'messages', 'seenV3', 'contacts', 'outbox'],
    'readwrite',
    (s) => {
      if (from !== m.owner) {
        s.messages.put(notice); // the own devices' failures have no conversation to show them in
      }
      s.seenV3.put({ owner: m.owner, from, device, id });
      if (next !== contact) {
        s.contacts.put(next);
      }
      if (receipt) {
        copies.save(s);
        s.outbox.put(receipt.outbox);
      }
    },
  );
  ack();
  if (receipt) {
    m.relay.send(receipt.frame);
  }
  m.warn(NOTICES[kind](from), from);
  if (from !== m.owner) {
    m.emit('message', { peer: from, message: notice });
  }
  if (next !== contact) {
    m.emit('identity', { peer: from });
  }
}
