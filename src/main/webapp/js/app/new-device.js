// The new device's side of linking (docs/protocol.md, "Linking a device", "The new device's steps"; Java:
// app.DeviceLinking open/receive/link and app.Provisioning): this browser, with no account, shows a link code, waits
// for the provisioning message an existing device of the account seals to it, checks it in the documented order,
// makes its own prekeys and registers as the account's next device with the ticket and list it was given.
//
// Nothing is asked of the user: the identity, the device id, the list and the contacts come in the message, and the
// link answers with a token. The account's password is the one its other devices use; this browser asks for it at
// its next login (Accounts.login logs in as the stored deviceId).
import { base64, equal, fromBase64, fromUtf8, hex } from '../lib/bytes.js';
import { DecryptionFailed, randomBytes, x25519Generate } from '../lib/crypto.js';
import { USERNAME } from '../lib/usernames.js';
import { deviceIds, verifyList } from '../e2e/devices.js';
import { linkCode, mailboxIdOf, openProvisioning, SECRET_BYTES } from '../e2e/link.js';
import { isSelfConsistent } from '../e2e/x3dh.js';
import { newAccountRecord } from './accounts.js';
import { ApiError } from './api.js';
import { newContact } from './identities.js';
import {
  identityFromPrivateKeys,
  INITIAL_ONE_TIME_PREKEYS,
  newOneTimePreKeys,
  newSignedPreKey,
  oneTimePreKeyJson,
  signedPreKeyJson,
} from './keys.js';

/** The new device polls its mailbox this often (the server allows one poll a second per address). */
export const POLL_MS = 2000;
/** The most contacts a provisioning message may carry. */
export const MAX_CONTACTS = 1000;

/** Every failure of checks 1 to 4 and 6: one text, nothing an attacker could tune against. */
export const DOES_NOT_MATCH = 'the link failed: the message does not match this code';
/** The mailbox is gone (404) or the code expired before a message came. */
export const CODE_GONE = 'the link failed: the code expired or was used; start again';
/** Check 5. */
export const OTHER_SERVER_KEY = 'the other device trusts a different server key; not linking';

const TICKET = /^[A-Za-z0-9_-]{43}$/;
const DEVICE_NAME = 'Browser';

/** The link did not happen; the message is for the user. Nothing of it was kept. */
export class LinkFailed extends Error {
  constructor(text) {
    super(text.charAt(0).toUpperCase() + text.slice(1) + '.');
    this.name = 'LinkFailed';
    this.text = text;
  }
}

/** The user cancelled: polling stopped, nothing kept. */
export class LinkCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'LinkCancelled';
  }
}

function wait(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new LinkCancelled());
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(new LinkCancelled());
    };
    signal?.addEventListener('abort', stop, { once: true });
  });
}

// --- check 2: the plaintext's shape ---------------------------------------------------------------------------------

/** Thrown inside the checks; every one becomes DOES_NOT_MATCH. */
class Mismatch extends Error {}

function need(condition) {
  if (!condition) {
    throw new Mismatch();
  }
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

function object(json, member) {
  need(isObject(json[member]));
  return json[member];
}

function string(json, member) {
  need(typeof json[member] === 'string');
  return json[member];
}

/** Canonical padded base64 of exactly `length` bytes (any length but 0 for 0). */
function bytes(json, member, length) {
  const text = string(json, member);
  let out;
  try {
    out = fromBase64(text);
  } catch {
    throw new Mismatch();
  }
  need(base64(out) === text); // canonical: the unused low bits of the last character are zero
  need(length > 0 ? out.length === length : out.length > 0);
  return out;
}

function signedList(json) {
  return { body: bytes(json, 'body', 0), signature: bytes(json, 'signature', 64) };
}

/** The plaintext as JSON of exactly the documented types (check 2); contacts are read but not verified yet. */
function parsePlaintext(plaintext) {
  let json;
  try {
    json = JSON.parse(fromUtf8(plaintext));
  } catch {
    throw new Mismatch();
  }
  need(isObject(json) && json.type === 'provision' && json.version === 1);
  const identity = object(json, 'identity');
  const grant = {
    identity: {
      signingKey: bytes(identity, 'signingKey', 32),
      dhPrivateKey: bytes(identity, 'dhPrivateKey', 32),
      dhSignature: bytes(identity, 'dhSignature', 64),
    },
    deviceList: signedList(object(json, 'deviceList')),
    ticket: string(json, 'ticket'),
    serverKey: bytes(json, 'serverKey', 32),
  };
  need(TICKET.test(grant.ticket));
  need(Array.isArray(json.contacts) && json.contacts.length <= MAX_CONTACTS);
  grant.contacts = json.contacts.map((c) => {
    need(isObject(c));
    const dh = object(c, 'identityDhKey');
    need(typeof c.verified === 'boolean');
    return {
      username: string(c, 'username'),
      identityKey: bytes(c, 'identityKey', 32),
      identityDhKey: bytes(dh, 'publicKey', 32),
      identityDhSignature: bytes(dh, 'signature', 64),
      verified: c.verified,
      deviceList: c.deviceList === undefined ? null : signedList(object(c, 'deviceList')),
    };
  });
  return grant;
}

/**
 * Checks 1 to 6 of "The new device's steps", in that order, on `message` (the mailbox's bytes) for the link
 * `pending` (open() made it) and the server key `pinnedServerKey` this browser pinned. Returns the grant:
 * {username, deviceId, linkingDeviceId, identity (keys.js's, imported from the private bytes), deviceList,
 * ticket, contacts}. LinkFailed(DOES_NOT_MATCH) for any failure but check 5's (OTHER_SERVER_KEY).
 */
export async function checkProvisioning(pending, message, pinnedServerKey) {
  let header;
  let grant;
  let identity;
  try {
    // 1. the message opens (header, username, device ids, tag with the AD, padding)
    let opened;
    try {
      opened = await openProvisioning(pending.code, pending.ephemeralPrivateKey, message);
    } catch (e) {
      if (e instanceof DecryptionFailed) {
        throw new Mismatch();
      }
      throw e;
    }
    header = opened.header;
    // 2. the plaintext is the documented JSON
    grant = parsePlaintext(opened.plaintext);
    // 3. the public keys computed from the private ones verify dhSignature
    try {
      identity = await identityFromPrivateKeys(grant.identity);
    } catch {
      throw new Mismatch();
    }
    // 4. the list verifies under that IKsig for the header's username, holds both devices, ends with the new one
    let list;
    try {
      list = await verifyList(grant.deviceList, header.username, identity.signing.publicKey);
    } catch {
      throw new Mismatch();
    }
    const ids = deviceIds(list);
    need(ids.includes(header.linkingDeviceId) && ids.includes(header.newDeviceId));
    need(list.lastDeviceId === header.newDeviceId);
  } catch (e) {
    if (e instanceof Mismatch) {
      throw new LinkFailed(DOES_NOT_MATCH);
    }
    throw e;
  }
  // 5. the other device pinned the same server key as this browser
  if (!equal(grant.serverKey, pinnedServerKey)) {
    throw new LinkFailed(OTHER_SERVER_KEY);
  }
  // 6. every contact's identity DH key signature verifies, and its list, if any, under that contact's key
  for (const c of grant.contacts) {
    const selfConsistent =
      USERNAME.test(c.username) &&
      c.username !== header.username &&
      (await isSelfConsistent({
        identityKey: c.identityKey,
        identityDhKey: c.identityDhKey,
        identityDhSignature: c.identityDhSignature,
      }));
    let listVerifies = true;
    if (selfConsistent && c.deviceList) {
      try {
        await verifyList(c.deviceList, c.username, c.identityKey);
      } catch {
        listVerifies = false;
      }
    }
    if (!selfConsistent || !listVerifies) {
      throw new LinkFailed(DOES_NOT_MATCH);
    }
  }
  return {
    username: header.username,
    deviceId: header.newDeviceId,
    linkingDeviceId: header.linkingDeviceId,
    identity,
    deviceList: grant.deviceList,
    ticket: grant.ticket,
    contacts: grant.contacts,
  };
}

/** What the user is told for a refused POST /api/devices (docs: the new device's steps, after check 6). */
function refusalText(e) {
  if (!(e instanceof ApiError)) {
    return null;
  }
  switch (e.code) {
    case 'invalid_ticket':
      return 'the link failed: the link expired; start again';
    case 'list_conflict':
      return "the link failed: your account's devices changed meanwhile; start again";
    case 'too_many_devices':
      return 'the link failed: your account has the most devices it may have; remove one first';
    case 'rate_limited':
      return 'the link failed: too many links today; try again tomorrow';
    default:
      return null;
  }
}

export class NewDeviceLink {
  /** `accounts` an Accounts (its store, api and pinned server key); `now` and `sleep` for tests. */
  constructor(accounts, { now = () => Date.now(), sleep = wait } = {}) {
    this.accounts = accounts;
    this.store = accounts.store;
    this.api = accounts.api;
    this.now = now;
    this.sleep = sleep;
  }

  /**
   * Pins the server's key (as registration does: first use, or checks the pin), makes the one-use pair E and the
   * secret s, opens their mailbox and returns the link in progress: {code (e2e/link.js: text, qrText, expiresAt,
   * mailbox), ephemeralPrivateKey, serverKey}.
   */
  async open() {
    const serverKey = await this.accounts.checkServerKey();
    const ephemeral = await x25519Generate();
    const secret = randomBytes(SECRET_BYTES);
    const mailbox = hex(await mailboxIdOf(secret));
    const opened = await this.api.openLink(mailbox);
    const expiresAt = Math.floor(Date.parse(opened.expiresAt) / 1000);
    const code = await linkCode(ephemeral.publicKey, secret, expiresAt);
    return { code, ephemeralPrivateKey: ephemeral.privateKey, serverKey: serverKey.publicKey };
  }

  /**
   * Polls the mailbox every POLL_MS until the message comes, the mailbox is gone (404) or the code expired, then
   * checks it (checkProvisioning). `signal` (an AbortSignal) cancels: LinkCancelled. A poll that fails otherwise
   * (no network, a 429, a server error) is tried again at the next tick.
   */
  async receive(pending, signal) {
    for (;;) {
      if (signal?.aborted) {
        throw new LinkCancelled();
      }
      let answer = null;
      try {
        answer = await this.api.takeLink(pending.code.mailbox);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) {
          throw new LinkFailed(CODE_GONE);
        }
        if (e instanceof ApiError && e.status < 500 && e.status !== 429) {
          throw e;
        }
      }
      if (signal?.aborted) {
        throw new LinkCancelled(); // a message taken now is lost with the code: the user cancelled it
      }
      if (answer) {
        let message;
        try {
          message = fromBase64(answer.message);
        } catch {
          throw new LinkFailed(DOES_NOT_MATCH);
        }
        return checkProvisioning(pending, message, pending.serverKey);
      }
      if (this.now() >= pending.code.expiresAt * 1000) {
        throw new LinkFailed(CODE_GONE);
      }
      await this.sleep(POLL_MS, signal);
    }
  }

  /**
   * Makes this browser's profile from `grant` (the identity, a version 3 signed prekey for its device id and 100
   * one-time prekeys, the list as its own pin, the contacts as pins), saved in one transaction before the server
   * sees the keys, then registers the device (POST /api/devices). On 201 keeps the token and returns the account;
   * on any failure deletes what it saved and throws (LinkFailed with the documented text for the server's refusals).
   */
  async link(grant) {
    const { username } = grant;
    const existing = await this.accounts.account(username);
    if (existing?.registered) {
      throw new Error(
        `This browser already has keys for ${username}; log in instead. Nothing was linked.`,
      );
    }
    await this.forget(username); // an earlier link or registration here that never completed
    const account = newAccountRecord(username, grant.identity, {
      deviceId: grant.deviceId,
      ownDeviceList: grant.deviceList,
    });
    account.signedPreKeys.push(await newSignedPreKey(account));
    const oneTime = await newOneTimePreKeys(account, INITIAL_ONE_TIME_PREKEYS);
    const contacts = grant.contacts.map((c) => ({
      ...newContact(username, c),
      verified: c.verified,
      ...(c.deviceList ? { deviceList: c.deviceList } : {}),
    }));
    await this.store.tx(['accounts', 'oneTimePreKeys', 'contacts'], 'readwrite', (s) => {
      s.accounts.put(account);
      oneTime.forEach((k) => s.oneTimePreKeys.put(k));
      contacts.forEach((c) => s.contacts.put(c));
    });
    let linked;
    try {
      linked = await this.api.registerDevice({
        username,
        ticket: grant.ticket,
        deviceList: {
          body: base64(grant.deviceList.body),
          signature: base64(grant.deviceList.signature),
        },
        signedPreKey: signedPreKeyJson(account.signedPreKeys[0]),
        oneTimePreKeys: oneTime.map(oneTimePreKeyJson),
        name: DEVICE_NAME,
      });
      if (linked?.deviceId !== grant.deviceId) {
        throw new LinkFailed('the link failed: the server linked this browser under another id');
      }
    } catch (e) {
      await this.forget(username);
      const text = refusalText(e);
      throw text ? new LinkFailed(text) : e;
    }
    account.registered = true;
    account.token = linked.token;
    account.tokenExpiresAt = Date.parse(linked.expiresAt);
    await this.store.put('accounts', account);
    await this.store.setMeta('lastUser', username);
    return account;
  }

  /** Deletes a local account that is not registered, with its one-time prekeys and contacts. */
  async forget(username) {
    const existing = await this.accounts.account(username);
    if (existing?.registered) {
      return;
    }
    const keys = await this.store.ownedBy('oneTimePreKeys', username);
    const contacts = await this.store.ownedBy('contacts', username);
    await this.store.tx(['accounts', 'oneTimePreKeys', 'contacts'], 'readwrite', (s) => {
      s.accounts.delete(username);
      keys.forEach((k) => s.oneTimePreKeys.delete([k.owner, k.keyId]));
      contacts.forEach((c) => s.contacts.delete([c.owner, c.peer]));
    });
  }
}
