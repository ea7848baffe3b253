// Receiving group payloads for the Messenger (docs/protocol.md, "What a client does with group payloads"). A group
// payload that decrypted is authentic: whatever the rules decide it is acknowledged (after the session, the id and
// what applied are stored in one transaction), never "decryption failed", and never answered with a receipt (no
// group receipts in this version). A `groupUpdate` goes through the rules (groups.js applyUpdate): applied, the new
// state is saved and the change shown in the group's conversation; ignored, the state stays and the user is told
// once per group and reason. A `groupText` is shown in the group's conversation if the stored state lists its
// sender and the own account; otherwise (an unknown group, a sender who is not a member, a group the user left) it
// is not shown and the user is told once per group and sender. An update under a new identity of its sender that
// the user has not confirmed is ignored (told once; as the Java client does); a text under one is shown, marked
// unconfirmed. Payloads from another device of the own account are the user's own group messages: shown as
// outgoing (a text) or applied with the own account as sender (an update).
import { applyUpdate } from '../e2e/groups.js';
import { Copies } from './copies.js';
import { changeNotice, groupRecord } from './group-send.js';
import { groupPeer, inKey, outKey } from './store.js';

const REASONS = {
  not_for_me: () => 'it does not include you',
  other_group: () => 'it is for another group',
  creator_changed: () => 'it names another creator',
  not_a_successor: () =>
    'it does not follow the state you have (a replay, a rollback, or two changes at once)',
  not_a_member: (from) => `${from} is not a member`,
  no_change: () => 'it changes nothing',
  not_allowed: (from) => `${from} may not make this change`,
};

/** What the user is told of an ignored update (once per group and reason). */
export const ignoredText = (name, from, reason) =>
  `An update of ${name} from ${from} was ignored: ${(REASONS[reason] || (() => reason))(from)}.`;

/** What the user is told of a refused group text (once per group and sender). */
export const refusedText = (from) =>
  `A message from ${from} for a group you are not in together was not shown.`;

/** What the user is told of an update under a key not confirmed (once per group and sender). */
export const unconfirmedText = (from) =>
  `A change to a group from ${from} was ignored: it came under a new key of ${from} that you have not confirmed.`;

/** What an applied update changed, in words; `from` the sender, `self` the own account ("you"). */
export function changeText(change, from, state, self) {
  const who = (u) => (u === self ? 'you' : u);
  const by = from === self ? 'You' : from;
  const list = (users) => users.map(who).join(', ');
  if (change.joined) {
    return from === self
      ? `You created ${state.name}.`
      : `${from} added you to ${state.name} (members: ${list(state.members)}).`;
  }
  if (change.left) {
    return change.selfRemoved ? `You left ${state.name}.` : `${from} left ${state.name}.`;
  }
  if (change.selfRemoved) {
    return `${by} removed you from ${state.name}.`;
  }
  const parts = [];
  if (change.added.length) {
    parts.push(`added ${list(change.added)}`);
  }
  if (change.removed.length) {
    parts.push(`removed ${list(change.removed)}`);
  }
  if (change.renamed) {
    parts.push(`renamed the group to ${state.name}`);
  }
  if (change.adminsChanged) {
    parts.push(`made the admins ${state.admins.length ? list(state.admins) : 'nobody'}`);
  }
  return `${by} ${parts.join(', ')}.`;
}

/** The decision about an update: {record, shown, tell}. */
function onUpdate(m, from, payload, record) {
  const proposed = payload.group;
  const outcome = applyUpdate(record.state, from, proposed, m.owner);
  if (outcome.result === 'applied') {
    const text = changeText(outcome.change, from, outcome.state, m.owner);
    const shown = changeNotice(m, proposed.id, text);
    return {
      record: { ...record, state: outcome.state, lastAt: shown.at, lastText: text },
      shown,
      tell: null,
    };
  }
  return told(record, 'update:' + outcome.reason, () =>
    ignoredText((record.state || proposed).name, from, outcome.reason),
  );
}

/** Tells `text()` once per group and `key`: {record (with the key remembered), shown: null, tell}. */
function told(record, key, text) {
  if (record.told.includes(key)) {
    return { record, shown: null, tell: null };
  }
  return { record: { ...record, told: [...record.told, key] }, shown: null, tell: text() };
}

/** The decision about a text: shown in the group's conversation if the state lists its sender. */
function onText(m, deliver, device, payload, record, unconfirmed) {
  const { id, from } = deliver;
  if (!record.state?.members.includes(from) || !record.state.members.includes(m.owner)) {
    return told(record, 'text:' + from, () => refusedText(from));
  }
  const own = from === m.owner;
  const now = Date.now();
  const shown = {
    owner: m.owner,
    key: own ? outKey(id) : inKey(from, id),
    peer: groupPeer(payload.group),
    group: payload.group,
    from,
    id,
    device,
    dir: own ? 'out' : 'in',
    kind: 'text',
    body: payload.body,
    sentAt: payload.sentAt,
    serverSentAt: deliver.sentAt,
    at: now,
    state: own ? 'sent' : 'received',
    unconfirmed,
    seenByUser: own,
  };
  return { record: { ...record, lastAt: now, lastText: payload.body }, shown, tell: null };
}

/**
 * A decrypted group payload from `deliver.from` (the own account included). `after` is inbox.js's view of the
 * sender after the message authenticated ({contact, record, unconfirmed, changed}), or null for the own account.
 */
export async function groupReceived(m, deliver, device, result, after, ack) {
  const { id, from } = deliver;
  const { payload, usedOneTimePreKeyId } = result;
  const group = payload.type === 'groupText' ? payload.group : payload.group.id;
  const record = (await groupRecord(m, group)) || {
    owner: m.owner,
    id: group,
    state: null,
    told: [],
  };
  const unconfirmed = !!after?.unconfirmed;
  const decision =
    payload.type !== 'groupUpdate'
      ? onText(m, deliver, device, payload, record, unconfirmed)
      : unconfirmed
        ? told(record, 'unconfirmed:' + from, () => unconfirmedText(from))
        : onUpdate(m, from, payload, record);
  const copies = new Copies(m);
  copies.set(from, device, after ? after.record : result.record);
  await m.store.tx(
    ['deviceSessions', 'messages', 'seenV3', 'contacts', 'oneTimePreKeys', 'groups'],
    'readwrite',
    (s) => {
      copies.save(s);
      s.seenV3.put({ owner: m.owner, from, device, id });
      if (after) {
        s.contacts.put(after.contact);
      }
      if (decision.record !== record) {
        s.groups.put(decision.record);
      }
      if (decision.shown) {
        s.messages.put(decision.shown);
      }
      if (usedOneTimePreKeyId !== null && usedOneTimePreKeyId <= BigInt(Number.MAX_SAFE_INTEGER)) {
        s.oneTimePreKeys.delete([m.owner, Number(usedOneTimePreKeyId)]);
      }
    },
  );
  ack();
  if (decision.tell) {
    m.warn(decision.tell, groupPeer(group));
  }
  if (after?.changed) {
    m.emit('identity', { peer: from });
  }
  if (decision.shown) {
    m.emit('message', { peer: groupPeer(group), message: decision.shown });
  }
  m.emit('contacts');
}
