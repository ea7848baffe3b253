// End-to-end messaging for one logged-in account (the browser's counterpart of the Java client's Messenger).
// Sending: check the peer's identity against the pin, start a session from the verified bundle if there is none,
// encrypt, save the ratchet, the message and the outbox entry in one transaction, then send; the outbox is resent
// (same id, stored once by the server) on every new connection until the server accepts it. Receiving: decrypt,
// save the ratchet, the message and its id in one transaction, then acknowledge. One operation runs at a time.
import { base64, utf8 } from '../lib/bytes.js';
import { instantNow } from '../e2e/payload.js';
import * as session from '../e2e/session.js';
import { UntrustedBundle } from '../e2e/x3dh.js';
import { Unreachable } from './api.js';
import { bundleFromJson, checkIdentity, identityFromJson, UntrustedIdentity } from './identities.js';
import { receive } from './inbox.js';
import { freshKeys, localIdentity } from './keys.js';
import { maintainPreKeys } from './prekeys.js';
import { outKey } from './store.js';
import { Relay } from '../channel/relay.js';

/** Keeps the envelope under the relay's default limit of 65,536 bytes (headers, JSON and tag included). */
const MAX_TEXT_BYTES = 60000;

const SEND_ERRORS = {
  unknown_recipient: 'there is no such user',
  invalid_recipient: 'that is not a valid username',
  envelope_too_large: 'the message is too long',
  queue_full: 'their mailbox is full; try again later',
  invalid_envelope: 'the server could not read it',
};

export class Messenger extends EventTarget {
  constructor({ store, api, account, serverKey, wsUrl }) {
    super();
    this.store = store;
    this.api = api;
    this.account = account;
    this.owner = account.username;
    this.serverKey = serverKey;
    this.wsUrl = wsUrl;
    this.identityCheckedThisLoad = new Set();
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
    this.relay = new Relay({
      url: this.wsUrl, serverKey: this.serverKey.publicKey, token: this.account.token,
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
      this.serial(() => this.resendOutbox());
      this.serial(() => maintainPreKeys(this.store, this.api, this.account))
        .catch((e) => this.warn('Could not top up your prekeys: ' + e.message));
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

  /** Pins a peer's identity from the registry (first use) or checks it; returns the contact. */
  addContact(peer) {
    return this.serial(async () => {
      const seen = identityFromJson(peer, await this.api.identity(this.account.token, peer));
      this.identityCheckedThisLoad.add(peer);
      const { contact, changed } = await checkIdentity(this.store, this.owner, seen, false);
      if (changed) {
        this.emit('identity', { peer });
      }
      this.emit('contacts');
      return contact;
    });
  }

  /**
   * Compares the registry's identity with the pin, once per page load, when a conversation opens. Failures are
   * left for the next send, which checks again and reports them.
   */
  checkPeer(peer) {
    return this.serial(() => this.checkRegistryIdentity(peer, false)).catch(() => {});
  }

  async checkRegistryIdentity(peer, sending) {
    if (!this.identityCheckedThisLoad.has(peer) && await this.contact(peer)) {
      const seen = identityFromJson(peer, await this.api.identity(this.account.token, peer));
      this.identityCheckedThisLoad.add(peer);
      const { changed } = await checkIdentity(this.store, this.owner, seen, false);
      if (changed) {
        this.emit('identity', { peer });
        this.emit('contacts');
      }
    }
    const contact = await this.contact(peer);
    if (sending && contact?.blocked) {
      throw new UntrustedIdentity(peer, true);
    }
  }

  /** Encrypts and stores `text` for `peer` and sends it if connected; returns the stored message. */
  send(peer, text) {
    if (utf8(text).length > MAX_TEXT_BYTES) {
      return Promise.reject(new Error('the message is too long (at most 60,000 bytes; split it up).'));
    }
    return this.serial(async () => {
      try {
        await this.checkRegistryIdentity(peer, true);
      } catch (e) {
        if (!(e instanceof Unreachable) || !(await this.store.get('sessions', [this.owner, peer]))) {
          throw e; // offline with a session: the session is bound to the pinned keys, so it is safe to queue
        }
      }
      let record = (await this.store.get('sessions', [this.owner, peer]))?.record || session.emptyRecord();
      if (!session.current(record)) {
        const bundle = bundleFromJson(peer, await this.api.bundle(this.account.token, peer));
        await checkIdentity(this.store, this.owner, bundle, true);
        try {
          record = await session.initiate(record, localIdentity(this.account), this.owner, bundle, freshKeys);
        } catch (e) {
          throw e instanceof UntrustedBundle ? new UntrustedIdentity(peer, false) : e;
        }
      }
      const id = crypto.randomUUID();
      const sentAt = instantNow();
      const sealed = await session.encrypt(record, { id, body: text, sentAt });
      const envelope = base64(sealed.envelope);
      const now = Date.now();
      const message = { owner: this.owner, key: outKey(id), peer, id, dir: 'out', body: text, sentAt, at: now,
        state: 'pending' };
      const contact = await this.contact(peer);
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

  async onMessage(m) {
    switch (m.type) {
      case 'deliver': return receive(this, m);
      case 'accepted': return this.settle(m.id, 'sent');
      case 'error':
        if (m.id) {
          return this.settle(m.id, 'failed', SEND_ERRORS[m.code] || m.message);
        }
        return this.warn('The server refused a request: ' + m.message);
      case 'delivered':
        await this.settle(m.id, 'delivered');
        this.relay.send({ type: 'receiptAck', id: m.id });
        return undefined;
      default:
        throw new Error('unexpected relay message ' + m.type);
    }
  }

  /** Records what the server said about an outgoing message; states only move forward. */
  async settle(id, state, failure) {
    const message = await this.store.get('messages', [this.owner, outKey(id)]);
    const order = ['pending', 'sent', 'delivered'];
    const updated = message && (state === 'failed' ? message.state === 'pending'
      : order.indexOf(state) > order.indexOf(message.state)) ? { ...message, state, failure } : null;
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

  /** The conversation the user looks at: its messages count as read. */
  async setOpenPeer(peer) {
    this.openPeer = peer;
    if (peer) {
      await this.serial(async () => {
        const contact = await this.contact(peer);
        if (contact?.unread) {
          await this.store.put('contacts', { ...contact, unread: 0 });
          this.emit('contacts');
        }
      });
    }
  }

  /** Marks the pinned identity verified after the user compared safety numbers; lifts a block. */
  verify(peer, verified = true) {
    return this.serial(async () => {
      const contact = await this.contact(peer);
      await this.store.put('contacts', { ...contact, verified, changed: false, blocked: false });
      this.emit('contacts');
      this.emit('identity', { peer });
    });
  }

  /** Acknowledges a change warning for a peer who was not verified (nothing was blocked). */
  dismissChange(peer) {
    return this.serial(async () => {
      const contact = await this.contact(peer);
      if (!contact.blocked) {
        await this.store.put('contacts', { ...contact, changed: false });
        this.emit('identity', { peer });
      }
    });
  }
}
