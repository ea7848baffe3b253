// Peers' identities: pinned on first use, compared with the registry, verified by the user. A changed identity
// is announced; if the user had verified the old one, sending is blocked until they verify again.
import { equal, fromBase64 } from '../lib/bytes.js';
import { isSelfConsistent } from '../e2e/x3dh.js';

/** Sending to this peer is refused: their identity changed after the user verified it, or it does not verify. */
export class UntrustedIdentity extends Error {
  constructor(peer, blocked) {
    super(blocked
      ? `${peer}'s safety number changed since you verified it. Sending is blocked until you compare the new`
        + ' safety number and verify it again.'
      : `The server sent keys for ${peer} that do not verify. Nothing was sent.`);
    this.name = 'UntrustedIdentity';
    this.peer = peer;
  }
}

/** {username, identityKey, identityDhKey, identityDhSignature} from the registry's JSON (shape only). */
export function identityFromJson(username, json) {
  return {
    username,
    identityKey: fromBase64(json.identityKey),
    identityDhKey: fromBase64(json.identityDhKey.publicKey),
    identityDhSignature: fromBase64(json.identityDhKey.signature),
  };
}

/** A bundle from the registry's JSON (shape only; x3dh.verifyBundle checks it). */
export function bundleFromJson(username, json) {
  const spk = json.signedPreKey;
  const opk = json.oneTimePreKey;
  return {
    ...identityFromJson(username, json),
    signedPreKey: { keyId: spk.keyId, publicKey: fromBase64(spk.publicKey), signature: fromBase64(spk.signature) },
    oneTimePreKey: opk ? { keyId: opk.keyId, publicKey: fromBase64(opk.publicKey) } : null,
  };
}

export function contactIdentity(contact) {
  return { username: contact.peer, identityKey: contact.identityKey, identityDhKey: contact.identityDhKey,
    identityDhSignature: contact.identityDhSignature };
}

export function matches(contact, identity) {
  return equal(contact.identityKey, identity.identityKey) && equal(contact.identityDhKey, identity.identityDhKey);
}

export function newContact(owner, identity) {
  return { owner, peer: identity.username, identityKey: identity.identityKey, identityDhKey: identity.identityDhKey,
    identityDhSignature: identity.identityDhSignature, verified: false, changed: false, blocked: false,
    pinnedAt: Date.now(), lastAt: 0, lastText: '', unread: 0 };
}

/**
 * Compares `seen` with the pin and stores the outcome: a first pin, nothing, or a change (which also ends the
 * sessions with the peer). Returns {contact, changed}. Throws UntrustedIdentity if `seen` does not verify, or if
 * `sending` and the contact is blocked after the change.
 */
export async function checkIdentity(store, owner, seen, sending) {
  if (!await isSelfConsistent(seen)) {
    throw new UntrustedIdentity(seen.username, false);
  }
  const contact = await store.get('contacts', [owner, seen.username]);
  if (!contact) {
    const pinned = newContact(owner, seen);
    await store.put('contacts', pinned);
    return { contact: pinned, changed: false };
  }
  if (matches(contact, seen)) {
    return { contact, changed: false };
  }
  const changed = { ...contact, identityKey: seen.identityKey, identityDhKey: seen.identityDhKey,
    identityDhSignature: seen.identityDhSignature, verified: false, changed: true,
    blocked: contact.verified || contact.blocked, pinnedAt: Date.now() };
  await store.tx(['contacts', 'sessions'], 'readwrite', (s) => {
    s.contacts.put(changed);
    s.sessions.delete([owner, seen.username]);
  });
  if (sending && changed.blocked) {
    throw new UntrustedIdentity(seen.username, true);
  }
  return { contact: changed, changed: true };
}
