// End-to-end messaging for one logged-in account (the browser's counterpart of the Java client's Messenger).
// Sending: only on a session bound to the contact's pin (identities.js), never while the contact has a pending
// identity; with no such session, start one from a bundle whose identity is the pin (or becomes it: first use).
// Encrypt, save the ratchet, the message and the outbox entry in one transaction, then send; the outbox is resent
// (same id, stored once by the server) on every new connection until the server accepts it. Receiving: inbox.js.
// Receipts (docs/protocol.md, "Receipts") are ordinary messages through the same outbox, never shown themselves.
// One operation runs at a time.
import { base64, equal, utf8 } from '../lib/bytes.js';
import { instantNow, MAX_BODY_BYTES, MAX_RECEIPT_IDS } from '../e2e/payload.js';
import * as session from '../e2e/session.js';
import { isFresh, isSelfConsistent, UntrustedBundle } from '../e2e/x3dh.js';
import { Relay } from '../channel/relay.js';
import {
  adopted,
  bundleFromJson,
  identityFromJson,
  newContact,
  pinOf,
  sameIdentity,
  UntrustedIdentity,
  withRegistryAnswer,
} from './identities.js';
import { isText, moves, receive } from './inbox.js';
import { freshKeys, localIdentity } from './keys.js';
import { maintainPreKeys } from './prekeys.js';
import { outKey } from './store.js';

// The last three are relay version 4's (linked devices), not yet sent; upgrade_required is the one a version 3 client
// will get.
const SEND_ERRORS = {
  unknown_recipient: 'there is no such user',
  invalid_recipient: 'that is not a valid recipient (not a username, or yourself)',
  envelope_too_large: 'the message is too long',
  queue_full: 'their mailbox is full; try again later',
  invalid_envelope: 'the server could not read it',
  unavailable: 'the server could not store it; try again later',
  sender_share_full:
    'you have too many messages waiting for them; try again when they have read some',
  sender_quota_full: 'you have too many messages waiting on the server; try again later',
  id_reused: 'the server refused a repeated message id',
  invalid_copies: 'the server refused the copies for their devices',
  stale_devices: 'their devices changed',
  upgrade_required:
    'they (or you) have linked devices, which this version of SecureCom cannot send to; it needs an update',
};

export class Messenger extends EventTarget {
  /**
   * `connect(handlers)` makes the relay connection from {onMessage, onStatus}; by default a Relay to `wsUrl`
   * (tests pass a double).
   */
  constructor({ store, api, account, serverKey, wsUrl, connect }) {
    super();
    this.store = store;
    this.api = api;
    this.account = account;
    this.owner = account.username;
    this.connect =
      connect ||
      ((handlers) =>
        new Relay({
          url: wsUrl,
          serverKey: serverKey.publicKey,
          token: account.token,
          ...handlers,
        }));
    this.identityCheckedThisLoad = new Set();
    this.held = new Set();
    this.queue = Promise.resolve();
    this.openPeer = null;
  }

  emit(type, detail = {}) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /** Runs one operation after the ones before it (sends, deliveries and receipts never interleave). */
  serial(operation) {
    const run = this.queue.then(operation);
    this.queue = run.catch(() => {});
    return run;
  }

  start() {
    this.relay = this.connect({
      onMessage: (m) => this.serial(() => this.onMessage(m)).catch((e) => this.warn(e.message)),
      onStatus: (status, detail) => this.onStatus(status, detail),
    });
    this.relay.start();
  }

  stop() {
    this.relay?.stop();
  }

  warn(text, peer) {
    this.emit('warning', { text, peer });
  }

  onStatus(status, detail) {
    this.emit('status', { status, ...detail });
    if (status === 'ready') {
      this.held.clear(); // a new connection delivers again what was left unacknowledged
      this.serial(() => this.resendOutbox());
      this.serial(() => maintainPreKeys(this.store, this.api, this.account)).catch((e) =>
        this.warn('Could not top up your prekeys: ' + e.message),
      );
    }
  }

  async resendOutbox() {
    for (const pending of await this.store.outbox(this.owner)) {
      this.relay.send({ type: 'send', id: pending.id, to: pending.to, envelope: pending.envelope });
    }
  }

  contacts() {
    return this.store.ownedBy('contacts', this.owner);
  }

  contact(peer) {
    return this.store.get('contacts', [this.owner, peer]);
  }

  conversation(peer) {
    return this.store.conversation(this.owner, peer);
  }

  async record(peer) {
    return (await this.store.get('sessions', [this.owner, peer]))?.record || session.emptyRecord();
  }

  /** The registry's identity for `peer`, refused (UntrustedIdentity) if its DH key is not signed by its IKsig. */
  async registryIdentity(peer) {
    const seen = identityFromJson(peer, await this.api.identity(this.account.token, peer));
    if (!(await isSelfConsistent(seen))) {
      throw new UntrustedIdentity(peer, 'unverifiable');
    }
    return seen;
  }

  /** Pins the registry's identity of a new contact (first use), or only compares it with the pin. */
  addContact(peer) {
    return this.serial(async () => {
      const seen = await this.registryIdentity(peer);
      this.identityCheckedThisLoad.add(peer);
      const contact = await this.contact(peer);
      const next = contact ? withRegistryAnswer(contact, seen) : newContact(this.owner, seen);
      await this.store.put('contacts', next);
      this.emit('identity', { peer });
      this.emit('contacts');
      return next;
    });
  }

  /**
   * Compares the registry's identity with the pin once per page load, when a conversation opens. A different
   * answer only warns; failures are left for the next time.
   */
  checkPeer(peer) {
    return this.serial(async () => {
      const contact = await this.contact(peer);
      if (this.identityCheckedThisLoad.has(peer) || !contact) {
        return;
      }
      const seen = await this.registryIdentity(peer);
      this.identityCheckedThisLoad.add(peer);
      await this.store.put('contacts', withRegistryAnswer(await this.contact(peer), seen));
      this.emit('identity', { peer });
      this.emit('contacts');
    }).catch(() => {});
  }

  /** Encrypts and stores `text` for `peer` and sends it if connected; returns the stored message. */
  send(peer, text) {
    if (typeof text !== 'string' || text.length === 0) {
      return Promise.reject(new Error('an empty message is not sent.'));
    }
    if (utf8(text).length > MAX_BODY_BYTES) {
      return Promise.reject(
        new Error('the message is too long (at most 60,000 bytes; split it up).'),
      );
    }
    return this.serial(async () => {
      let contact = await this.contact(peer);
      if (contact?.pending) {
        throw new UntrustedIdentity(peer, 'pending');
      }
      let record = await this.record(peer);
      if (!contact || !session.current(record, pinOf(contact))) {
        const bundle = bundleFromJson(peer, await this.api.bundle(this.account.token, peer));
        if (contact && !sameIdentity(contact, bundle)) {
          await this.store.put('contacts', withRegistryAnswer(contact, bundle));
          this.emit('identity', { peer });
          throw new UntrustedIdentity(peer, 'notPin');
        }
        try {
          record = await session.initiate(
            record,
            localIdentity(this.account),
            this.owner,
            bundle,
            freshKeys,
          );
        } catch (e) {
          throw e instanceof UntrustedBundle ? new UntrustedIdentity(peer, 'unverifiable') : e;
        }
        if (!isFresh(bundle, Math.floor(Date.now() / 1000))) {
          throw new UntrustedIdentity(peer, 'stale'); // the record with the new session is not saved
        }
        contact = contact || newContact(this.owner, bundle);
      }
      const id = crypto.randomUUID();
      const sentAt = instantNow();
      const sealed = await session.encrypt(record, pinOf(contact), {
        id,
        type: 'text',
        sentAt,
        body: text,
      });
      const envelope = base64(sealed.envelope);
      const now = Date.now();
      const message = {
        owner: this.owner,
        key: outKey(id),
        peer,
        id,
        dir: 'out',
        kind: 'text',
        body: text,
        sentAt,
        at: now,
        state: 'pending',
      };
      await this.store.tx(['sessions', 'outbox', 'messages', 'contacts'], 'readwrite', (s) => {
        s.sessions.put({ owner: this.owner, peer, record: sealed.record });
        s.outbox.put({ owner: this.owner, id, to: peer, envelope, at: now });
        s.messages.put(message);
        s.contacts.put({ ...contact, lastAt: now, lastText: text });
      });
      this.emit('message', { peer, message });
      this.emit('contacts');
      this.relay.send({ type: 'send', id, to: peer, envelope });
      return message;
    });
  }

  /**
   * A receipt to `contact` on `record`: {record, outbox, frame}, or null where receipts may not be sent (no
   * contact, a pending identity, or no session bound to the pin: a receipt never starts a session).
   */
  async receiptFor(record, contact, receipt, of) {
    if (!contact || contact.pending || !session.current(record, pinOf(contact))) {
      return null;
    }
    const id = crypto.randomUUID();
    const sealed = await session.encrypt(record, pinOf(contact), {
      id,
      type: 'receipt',
      sentAt: instantNow(),
      receipt,
      of,
    });
    const envelope = base64(sealed.envelope);
    return {
      record: sealed.record,
      outbox: { owner: this.owner, id, to: contact.peer, envelope, at: Date.now() },
      frame: { type: 'send', id, to: contact.peer, envelope },
    };
  }

  async onMessage(m) {
    switch (m.type) {
      case 'deliver':
        return receive(this, m);
      case 'accepted':
        return this.settle(m.id, 'sent');
      case 'error':
        if (m.id) {
          return this.settle(m.id, 'failed', SEND_ERRORS[m.code] || m.message);
        }
        return this.warn('The server refused a request: ' + m.message);
      case 'delivered':
        await this.settle(m.id, 'reached');
        this.relay.send({ type: 'receiptAck', id: m.id });
        return undefined;
      case 'relayed': // version 3: accepted and delivered at once, held nowhere on the server; not answered
        return this.settle(m.id, 'reached');
      case 'preKeysLow': // someone fetched our bundle and the pool is low: top it up now, not at the next connect
        return maintainPreKeys(this.store, this.api, this.account).catch((e) =>
          this.warn('Could not top up your prekeys: ' + e.message),
        );
      default:
        throw new Error('unexpected relay message ' + m.type);
    }
  }

  /** Records what the server said about an outgoing message (receipts have no message: nothing shows). */
  async settle(id, state, failure) {
    const message = await this.store.get('messages', [this.owner, outKey(id)]);
    const updated = message && moves(message.state, state) ? { ...message, state, failure } : null;
    await this.store.tx(['outbox', 'messages'], 'readwrite', (s) => {
      s.outbox.delete([this.owner, id]);
      if (updated) {
        s.messages.put(updated);
      }
    });
    if (updated) {
      this.emit('message', { peer: updated.peer, message: updated });
    }
  }

  /** The conversation the user looks at: its messages count as seen (and read receipts go out, if on). */
  async setOpenPeer(peer) {
    this.openPeer = peer;
    if (peer) {
      await this.serial(() => this.markSeen(peer));
    }
  }

  /** True if the conversation with `peer` is on screen. */
  showing(peer) {
    return this.openPeer === peer && globalThis.document?.visibilityState === 'visible';
  }

  /** Within an operation: marks the incoming texts from `peer` seen and sends read receipts for them if on. */
  async markSeen(peer) {
    const unseen = (await this.conversation(peer)).filter((m) => isText(m) && !m.seenByUser);
    const contact = await this.contact(peer);
    if (unseen.length === 0 && !contact?.unread) {
      return;
    }
    const ids = (await this.readReceipts())
      ? unseen.filter((m) => !m.unconfirmed).map((m) => m.id)
      : [];
    let record = await this.record(peer);
    const receipts = [];
    for (let at = 0; at < ids.length; at += MAX_RECEIPT_IDS) {
      const receipt = await this.receiptFor(
        record,
        contact,
        'read',
        ids.slice(at, at + MAX_RECEIPT_IDS),
      );
      if (!receipt) {
        break;
      }
      record = receipt.record;
      receipts.push(receipt);
    }
    const seen = unseen.map((m) => ({ ...m, seenByUser: true }));
    await this.store.tx(['messages', 'contacts', 'sessions', 'outbox'], 'readwrite', (s) => {
      seen.forEach((m) => s.messages.put(m));
      if (contact) {
        s.contacts.put({ ...contact, unread: 0 });
      }
      if (receipts.length) {
        s.sessions.put({ owner: this.owner, peer, record });
        receipts.forEach((r) => s.outbox.put(r.outbox));
      }
    });
    receipts.forEach((r) => this.relay.send(r.frame));
    this.emit('contacts');
  }

  readReceipts() {
    return this.store.meta('readReceipts/' + this.owner).then((on) => on === true);
  }

  /** The user's choice: send read receipts (off unless turned on). */
  async setReadReceipts(on) {
    await this.store.setMeta('readReceipts/' + this.owner, !!on);
    this.emit('settings');
  }

  /**
   * The user compared the safety number of `identityKey` with the peer: if it is the pending identity, it becomes
   * the pin, verified, and the old pin's sessions are deleted; if it is the pin, the pin is marked verified.
   * Nothing changes if the identity shown is neither any more.
   */
  verify(peer, identityKey) {
    return this.serial(async () => {
      const contact = await this.contact(peer);
      if (contact?.pending && equal(contact.pending.identityKey, identityKey)) {
        await this.adopt(contact, true);
      } else if (contact && !contact.pending && equal(contact.identityKey, identityKey)) {
        await this.store.put('contacts', { ...contact, verified: true });
      } else {
        throw new Error('The safety number changed meanwhile. Compare the new one.');
      }
      this.emit('contacts');
      this.emit('identity', { peer });
    });
  }

  /** Clears the verified mark of the pin. */
  unverify(peer) {
    return this.serial(async () => {
      const contact = await this.contact(peer);
      await this.store.put('contacts', { ...contact, verified: false });
      this.emit('contacts');
      this.emit('identity', { peer });
    });
  }

  /** Adopts the pending identity without verifying it: only if the pin was not verified. */
  accept(peer) {
    return this.serial(async () => {
      const contact = await this.contact(peer);
      if (!contact?.pending) {
        return;
      }
      if (contact.verified) {
        throw new Error(
          `You had verified ${peer}'s old key: compare the new safety number to go on.`,
        );
      }
      await this.adopt(contact, false);
      this.emit('contacts');
      this.emit('identity', { peer });
    });
  }

  async adopt(contact, verified) {
    const next = adopted(contact, verified);
    const record = session.retain(await this.record(contact.peer), [pinOf(next)]);
    await this.store.tx(['contacts', 'sessions'], 'readwrite', (s) => {
      s.contacts.put(next);
      s.sessions.put({ owner: this.owner, peer: contact.peer, record });
    });
  }
}
