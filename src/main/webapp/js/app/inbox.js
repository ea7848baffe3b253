// Receiving for the Messenger: decrypt a delivered envelope, save the ratchet, the message and its id in one
// transaction, then acknowledge. A message that cannot be decrypted is dropped (and acknowledged) with a warning;
// one whose sender cannot be checked right now is left unacknowledged, so the server delivers it again.
import { equal, fromBase64 } from '../lib/bytes.js';
import { DecryptionFailed } from '../lib/crypto.js';
import { DuplicateMessage } from '../e2e/ratchet.js';
import * as session from '../e2e/session.js';
import { ApiError, Unreachable } from './api.js';
import { checkIdentity, identityFromJson, newContact, UntrustedIdentity } from './identities.js';
import { freshKeys, localIdentity } from './keys.js';
import { preKeyLookup } from './prekeys.js';
import { inKey } from './store.js';

export async function receive(m, deliver) {
  const { id, from } = deliver;
  const ack = () => m.relay.send({ type: 'ack', id, from });
  if (await m.store.get('seen', [m.owner, from, id])) {
    return ack();
  }
  const stored = await m.store.get('sessions', [m.owner, from]);
  let result;
  try {
    result = await session.decrypt(stored?.record || session.emptyRecord(), fromBase64(deliver.envelope), id, {
      me: localIdentity(m.account), myName: m.owner, keys: freshKeys,
      preKeys: preKeyLookup(m.store, m.account),
      senderIdentity: () => identityForNewSession(m, from),
    });
  } catch (e) {
    if (e instanceof DuplicateMessage) {
      return ack();
    }
    if (e instanceof Unreachable || (e instanceof ApiError && (e.status >= 500 || e.status === 401
        || e.status === 429))) {
      return undefined; // cannot check the sender now: not acknowledged, so delivered again on reconnect
    }
    if (!(e instanceof DecryptionFailed || e instanceof ApiError || e instanceof UntrustedIdentity
        || e.message === 'not standard padded base64')) {
      console.error('could not handle a delivery', e);
    }
    m.warn(`A message from ${from} could not be decrypted and was dropped.`, from);
    await m.store.put('seen', { owner: m.owner, from, id });
    return ack();
  }
  await saveReceived(m, deliver, result);
  return ack();
}

async function saveReceived(m, deliver, result) {
  const { id, from } = deliver;
  const current = session.current(result.record);
  const contact = (await m.contact(from)) || newContact(m.owner, { username: from,
    identityKey: current.peerIdentityKey, identityDhKey: current.peerIdentityDhKey, identityDhSignature: null });
  // Sessions with an identity that was replaced meanwhile are over (see identities.checkIdentity).
  const record = { ...result.record,
    sessions: result.record.sessions.filter((s) => equal(s.peerIdentityKey, contact.identityKey)) };
  const now = Date.now();
  const message = { owner: m.owner, key: inKey(from, id), peer: from, id, dir: 'in', body: result.payload.body,
    sentAt: result.payload.sentAt, serverSentAt: deliver.sentAt, at: now, state: 'received' };
  const open = m.openPeer === from && document.visibilityState === 'visible';
  await m.store.tx(['sessions', 'messages', 'seen', 'contacts', 'oneTimePreKeys'], 'readwrite', (s) => {
    s.sessions.put({ owner: m.owner, peer: from, record });
    s.messages.put(message);
    s.seen.put({ owner: m.owner, from, id });
    s.contacts.put({ ...contact, lastAt: now, lastText: message.body, unread: open ? 0 : contact.unread + 1 });
    if (result.usedOneTimePreKeyId !== null && result.usedOneTimePreKeyId <= BigInt(Number.MAX_SAFE_INTEGER)) {
      s.oneTimePreKeys.delete([m.owner, Number(result.usedOneTimePreKeyId)]);
    }
  });
  m.emit('message', { peer: from, message });
  m.emit('contacts');
}

/** The identity of a peer who starts a new session with us: the registry's, checked against the pin. */
async function identityForNewSession(m, from) {
  const seen = identityFromJson(from, await m.api.identity(m.account.token, from));
  m.identityCheckedThisLoad.add(from);
  const { changed } = await checkIdentity(m.store, m.owner, seen, false);
  if (changed) {
    m.emit('identity', { peer: from });
  }
  return seen;
}
