// Peers' identities (docs/protocol.md, "Identities and pins"). Each contact record holds exactly one trusted
// identity, the pin (identityKey, identityDhKey, identityDhSignature, verified). Nothing the server says changes it:
// a registry answer that differs is only remembered (registryIdentity) for a warning. A PreKey message that
// authenticates under another identity makes that identity `pending`, which blocks sending until the user verifies
// it (adopted as the verified pin) or, if the old pin was not verified, accepts it. These functions build contact
// records; the Messenger stores them.
import { equal, fromBase64 } from '../lib/bytes.js';

/** Sending to this peer is refused; `reason` is 'unverifiable', 'pending' or 'notPin'. */
export class UntrustedIdentity extends Error {
  constructor(peer, reason) {
    super(
      reason === 'pending'
        ? `${peer} has a new key that you have not confirmed. Sending is blocked until you verify the new safety` +
            ' number or accept the new key.'
        : reason === 'notPin'
          ? `The server now publishes another key for ${peer} than the one you trust, so SecureCom did not start a` +
            ` new session with it. Nothing was sent. If ${peer} really reinstalled SecureCom, their next message` +
            ' lets you confirm the new key.'
          : reason === 'stale'
            ? `The server offered an outdated signed prekey for ${peer} (more than 60 days old, or dated in the` +
              ` future). Nothing was sent; ${peer}'s client renews it when it next connects.`
            : `The server sent keys for ${peer} that do not verify. Nothing was sent.`,
    );
    this.name = 'UntrustedIdentity';
    this.peer = peer;
    this.reason = reason;
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

function preKeysFromJson(json) {
  const spk = json.signedPreKey;
  const opk = json.oneTimePreKey;
  return {
    signedPreKey: {
      keyId: spk.keyId,
      publicKey: fromBase64(spk.publicKey),
      createdAt: spk.createdAt,
      signature: fromBase64(spk.signature),
    },
    oneTimePreKey: opk ? { keyId: opk.keyId, publicKey: fromBase64(opk.publicKey) } : null,
  };
}

/** A bundle from the registry's JSON (shape only; x3dh.verifyBundle checks it), device 1's. */
export function bundleFromJson(username, json) {
  return { ...identityFromJson(username, json), deviceId: 1, ...preKeysFromJson(json) };
}

/**
 * The bundles of `devices` from the registry's answer to `GET /api/keys/{username}?devices=...`, one per device in
 * that order; throws if the answer names other devices or another order (the registry may not substitute one
 * device's keys for another's; each signed prekey is then checked for its device by x3dh.verifyBundle).
 */
export function bundlesFromJson(username, json, devices) {
  const identity = identityFromJson(username, json);
  if (
    !Array.isArray(json.devices) ||
    json.devices.length !== devices.length ||
    json.devices.some((d, i) => d?.deviceId !== devices[i])
  ) {
    throw new Error('the registry answered for other devices than asked');
  }
  return json.devices.map((d) => ({ ...identity, deviceId: d.deviceId, ...preKeysFromJson(d) }));
}

/** True if both hold the same IKsig and IKdh (contacts, identities, bundles, prekey headers and sessions' peers). */
export function sameIdentity(a, b) {
  return (
    !!a && !!b && equal(a.identityKey, b.identityKey) && equal(a.identityDhKey, b.identityDhKey)
  );
}

/** The pinned identity of a contact. */
export function pinOf(contact) {
  return {
    username: contact.peer,
    identityKey: contact.identityKey,
    identityDhKey: contact.identityDhKey,
    identityDhSignature: contact.identityDhSignature,
  };
}

/** The contact's pending identity, or null. */
export function pendingOf(contact) {
  return contact.pending ? { username: contact.peer, ...contact.pending } : null;
}

/** True if the registry's last answer for this contact was not the pin. */
export function registryDiffers(contact) {
  return !!contact.registryIdentity && !sameIdentity(contact, contact.registryIdentity);
}

/** A contact pinned (first use) to `identity`, not verified. */
export function newContact(owner, identity) {
  return {
    owner,
    peer: identity.username,
    identityKey: identity.identityKey,
    identityDhKey: identity.identityDhKey,
    identityDhSignature: identity.identityDhSignature,
    verified: false,
    pending: null,
    registryIdentity: null,
    undecryptableSent: false,
    pinnedAt: Date.now(),
    lastAt: 0,
    lastText: '',
    unread: 0,
  };
}

/** The contact with the registry's latest answer remembered (the pin stays). */
export function withRegistryAnswer(contact, seen) {
  return {
    ...contact,
    registryIdentity: { identityKey: seen.identityKey, identityDhKey: seen.identityDhKey },
  };
}

/** The contact with `identity` (which authenticated a message) as its pending identity, replacing an older one. */
export function withPending(contact, identity) {
  return {
    ...contact,
    pending: {
      identityKey: identity.identityKey,
      identityDhKey: identity.identityDhKey,
      identityDhSignature: identity.identityDhSignature,
      since: Date.now(),
    },
  };
}

/** The contact with its pending identity as the pin, verified or not. */
export function adopted(contact, verified) {
  const { identityKey, identityDhKey, identityDhSignature } = contact.pending;
  return {
    ...contact,
    identityKey,
    identityDhKey,
    identityDhSignature,
    verified,
    pending: null,
    pinnedAt: Date.now(),
  };
}
