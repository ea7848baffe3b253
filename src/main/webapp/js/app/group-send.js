// Making and sending group messages for the Messenger (docs/protocol.md, "Groups", "Version 5 (groups)"; design:
// docs/design/groups.md). A group payload (`groupText` or `groupUpdate`) goes as ONE relay version 5 `send` with a
// copy for every device of every other member, from each member's pinned device list (device-pins.js; no list:
// device 1), and for every other device of the own account, the same payload for all (no transcript): fanout.js
// groupTargets. Sessions are started from bundles where missing (copies.js), only on the members' pins, never while
// a member has a pending identity. A member not yet a contact is pinned from the registry (first use), as a first
// one-to-one send would. Changes are built with groups.js and checked with its rules as their own sender before
// they are sent, and applied to the stored state when the server accepts them.
import { utf8 } from '../lib/bytes.js';
import { GROUPS_VERSION } from '../lib/wire.js';
import { groupTargets } from '../e2e/fanout.js';
import { applyUpdate, create, randomGroupId } from '../e2e/groups.js';
import { instantNow, MAX_BODY_BYTES } from '../e2e/payload.js';
import { Copies } from './copies.js';
import { pinnedSet } from './device-pins.js';
import { newContact, pinOf, UntrustedIdentity } from './identities.js';
import { groupPeer, outKey } from './store.js';

/** The users of `state` a payload about it goes to: every member but the own account. */
export const othersIn = (owner, ...states) => [
  ...new Set(states.flatMap((s) => s.members).filter((u) => u !== owner)),
];

/**
 * The contacts of `users` for a group send, each with its list judged once per page load (listBeforeSending):
 * [{contact, removed}]. A user who is no contact yet is pinned from the registry; a pending identity refuses the
 * whole send (UntrustedIdentity).
 */
export async function groupContacts(m, users) {
  const listed = [];
  for (const user of users) {
    let contact = await m.contact(user);
    if (contact?.pending) {
      throw new UntrustedIdentity(user, 'pending');
    }
    contact = contact || newContact(m.owner, await m.registryIdentity(user));
    listed.push(await m.listBeforeSending(contact));
  }
  return listed;
}

/**
 * Encrypts `payload` for every device of every contact of `contacts` and every other own device, in fan-out order;
 * `kept` holds copies already made (a rebuilt send keeps their envelopes).
 */
export async function makeGroupCopies(m, copies, contacts, payload, kept = []) {
  const wanted = groupTargets(
    m.deviceId,
    m.ownSet(),
    contacts.map((c) => pinnedSet(c.peer, c.deviceList)),
    true,
  );
  const keep = (t) => kept.find((k) => k.to === t.to && k.device === t.device);
  const fresh = (user) => wanted.filter((t) => t.to === user && !keep(t)).map((t) => t.device);
  const pins = new Map(contacts.map((c) => [c.peer, pinOf(c)]));
  pins.set(m.owner, m.ownPin());
  for (const c of contacts) {
    await copies.start(c.peer, pins.get(c.peer), fresh(c.peer), !c.deviceList);
  }
  if (fresh(m.owner).length) {
    await copies.start(m.owner, pins.get(m.owner), fresh(m.owner), false);
  }
  const made = [];
  for (const t of wanted) {
    made.push(keep(t) || (await copies.encrypt(t.to, t.device, pins.get(t.to), payload)));
  }
  return made;
}

/** Throws unless the relay connection speaks version 5 (a version 4 server refuses a send to several users). */
function mustSpeakGroups(m) {
  const version = m.relayVersion;
  if (version !== undefined && version < GROUPS_VERSION) {
    throw new Error('this server does not support groups (relay version 5); nothing was sent.');
  }
}

/**
 * Within an operation: sends `payload` to the devices of `users` and the own other devices, one `send`, and stores
 * with the outbox entry (and its `notice`, what an update shows once accepted) what `extra(s)` writes. Returns the
 * outbox entry.
 */
async function groupSend(m, group, users, payload, notice, extra) {
  mustSpeakGroups(m);
  const listed = await groupContacts(m, users);
  const contacts = listed.map((l) => l.contact);
  const copies = new Copies(m);
  const made = await makeGroupCopies(m, copies, contacts, payload);
  const entry = {
    owner: m.owner,
    id: payload.id,
    to: groupPeer(group),
    group,
    recipients: users,
    notice,
    copies: made,
    payload,
    at: Date.now(),
  };
  await m.store.tx(
    ['deviceSessions', 'outbox', 'messages', 'contacts', 'groups'],
    'readwrite',
    (s) => {
      listed.forEach((l) =>
        l.removed.forEach((d) => s.deviceSessions.delete([m.owner, l.contact.peer, d])),
      );
      copies.save(s);
      contacts.forEach((c) => s.contacts.put(c));
      s.outbox.put(entry);
      extra(s);
    },
  );
  m.relay.send({ type: 'send', id: entry.id, copies: made });
  return entry;
}

/** The stored group record {owner, id, state, told} of `id`, or undefined. */
export function groupRecord(m, id) {
  return m.store.get('groups', [m.owner, id]);
}

/** A notice of a change in a group's conversation (what the user is told, as plain text). */
export function changeNotice(m, group, text, now = Date.now()) {
  return {
    owner: m.owner,
    key: 'group/' + group + '/' + now + '/' + crypto.randomUUID(),
    peer: groupPeer(group),
    group,
    dir: 'in',
    kind: 'groupChange',
    body: text,
    at: now,
  };
}

/** True if a change to the group `id` made here waits in the outbox for the server's `accepted`. */
async function updateWaiting(m, id) {
  const waiting = await m.store.outbox(m.owner);
  return waiting.some((p) => p.group === id && p.payload?.type === 'groupUpdate');
}

/**
 * Within an operation: sends the successor `next` of the group's state (or, with no current state, a creation) to
 * every member of both states but the own account, after checking it with the rules as its own sender. It applies
 * here when the server accepts it (acceptedUpdate), as in the Java client, so a change the server refuses forks
 * nothing; while one waits, another change to the group is refused (two would have the same revision).
 */
export async function sendUpdate(m, current, next, notice) {
  const outcome = applyUpdate(current, m.owner, next, m.owner);
  if (outcome.result !== 'applied') {
    throw new Error(`you may not make this change (${outcome.reason.replaceAll('_', ' ')}).`);
  }
  if (await updateWaiting(m, next.id)) {
    throw new Error(
      'an earlier change to this group waits for the server; try again once it is sent.',
    );
  }
  const payload = {
    id: crypto.randomUUID(),
    type: 'groupUpdate',
    sentAt: instantNow(),
    group: next,
  };
  const users = othersIn(m.owner, next, ...(current ? [current] : []));
  await groupSend(m, next.id, users, payload, notice, () => {});
  return next;
}

/**
 * The own update of the outbox entry `pending`, which the server accepted: {record, shown} to save, or null if the
 * rules no longer apply it (another device of the account applied it first, or the state moved meanwhile).
 */
export async function acceptedUpdate(m, pending) {
  const next = pending.payload.group;
  const record = (await groupRecord(m, next.id)) || { owner: m.owner, id: next.id, told: [] };
  if (applyUpdate(record.state || null, m.owner, next, m.owner).result !== 'applied') {
    return null;
  }
  const shown = changeNotice(m, next.id, pending.notice);
  return { record: { ...record, state: next, lastAt: shown.at, lastText: pending.notice }, shown };
}

/** Within an operation: creates a group named `name` with `members` (usernames besides the own account). */
export function createGroup(m, name, members) {
  const state = create(randomGroupId(), name, m.owner, members);
  return sendUpdate(m, null, state, `You created ${state.name}.`);
}

/** Within an operation: sends `text` to the group `id`, which must list the own account. Returns the message. */
export async function sendGroupText(m, id, text) {
  if (typeof text !== 'string' || text.length === 0) {
    throw new Error('an empty message is not sent.');
  }
  if (utf8(text).length > MAX_BODY_BYTES) {
    throw new Error('the message is too long (at most 60,000 bytes; split it up).');
  }
  const record = await groupRecord(m, id);
  if (!record?.state?.members.includes(m.owner)) {
    throw new Error('you are not a member of this group any more; it can be read, not written to.');
  }
  const payload = {
    id: crypto.randomUUID(),
    type: 'groupText',
    sentAt: instantNow(),
    group: id,
    body: text,
  };
  const now = Date.now();
  const message = {
    owner: m.owner,
    key: outKey(payload.id),
    peer: groupPeer(id),
    group: id,
    from: m.owner,
    id: payload.id,
    dir: 'out',
    kind: 'text',
    body: text,
    sentAt: payload.sentAt,
    at: now,
    state: 'pending',
  };
  await groupSend(m, id, othersIn(m.owner, record.state), payload, null, (s) => {
    s.messages.put(message);
    s.groups.put({ ...record, lastAt: now, lastText: text });
  });
  m.emit('message', { peer: message.peer, message });
  m.emit('contacts');
  return message;
}

/**
 * After `stale_devices` or `invalid_copies` for a group send: the lists of every recipient and of the own account
 * are fetched and judged, the envelopes of devices that stay are kept and new devices get theirs; sent again under
 * the same id. Returns the new outbox entry (the caller marks it rebuilt).
 */
export async function rebuildGroupSend(m, pending) {
  const contacts = [];
  const removed = [];
  for (const user of pending.recipients) {
    const contact = await m.contact(user);
    if (!contact || contact.pending) {
      throw new UntrustedIdentity(user, 'pending');
    }
    const judged = await m.judgedList(contact);
    contacts.push(judged.contact);
    removed.push(judged);
  }
  await m.refreshOwnList();
  const copies = new Copies(m);
  const made = await makeGroupCopies(m, copies, contacts, pending.payload, pending.copies);
  const next = { ...pending, copies: made, rebuilt: true };
  await m.store.tx(['deviceSessions', 'outbox', 'contacts'], 'readwrite', (s) => {
    removed.forEach((j) =>
      j.removed.forEach((d) => s.deviceSessions.delete([m.owner, j.contact.peer, d])),
    );
    copies.save(s);
    s.outbox.put(next);
    contacts.forEach((c) => s.contacts.put(c));
  });
  m.relay.send({ type: 'send', id: pending.id, copies: made });
  return next;
}

/** Codes of a group send refused for a member's full queue (docs/protocol.md, "A full member"). */
export const FULL_MEMBER = new Set(['queue_full', 'sender_share_full']);

/**
 * After `queue_full` or `sender_share_full` for the group send `pending`, whose `devices` name the full users
 * (docs/protocol.md, "A full member"; Java: FullMembers): a text, or an update that no longer lists them, goes
 * again at once under the same id with the same envelopes but without every copy of theirs; any other update is
 * given up (removed from the outbox, not applied), since a member who missed it would ignore every later one.
 * Returns {kept: true} to keep the entry as at version 4 (no copy would be left, or the refusal names nobody), else
 * {kept: false, told: what the user is told, or null}.
 */
export async function withoutFullMembers(m, pending, devices, groupName) {
  const full = [...new Set((devices || []).map((d) => d.user))];
  const rest = pending.copies.filter((c) => !full.includes(c.to));
  if (full.length === 0 || rest.length === pending.copies.length) {
    return { kept: true };
  }
  const update = pending.payload.type === 'groupUpdate';
  if (update && pending.payload.group.members.some((u) => full.includes(u))) {
    await m.store.delete('outbox', [m.owner, pending.id]);
    const told =
      `${groupName} was not changed: a device's queue of ${full.join(', ')} is full. ` +
      'Try again later, or remove that member.';
    return { kept: false, told };
  }
  if (rest.length === 0) {
    return { kept: true };
  }
  const next = {
    ...pending,
    copies: rest,
    recipients: pending.recipients.filter((u) => !full.includes(u)),
  };
  await m.store.put('outbox', next);
  m.relay.send({ type: 'send', id: pending.id, copies: rest });
  const told = `Your message to ${groupName} did not reach ${full.join(', ')}: a device's queue is full.`;
  return { kept: false, told: update ? null : told };
}
