// End-to-end messaging for one logged-in device of an account (the browser's counterpart of the Java client's
// Messenger), at relay version 4 (docs/protocol.md, "Version 4"). Sending: to every device of the list pinned for the
// contact (device-pins.js; legacy: device 1) and, for a text, as a `sent` transcript to every other device of the own
// account, one envelope per device (copies.js), all in one `send` under one id. Only on sessions bound to the
// contact's pin (identities.js), never while the contact has a pending identity; a device without such a session
// gets one from a bundle whose identity is the pin (or becomes it: first use). Encrypt, save the ratchets, the
// message and the outbox entry (with the payload, to encrypt again for devices a `stale_devices` names) in one
// transaction, then send; the outbox is resent (same id and envelopes, stored once by the server) on every new
// connection until the server accepts it. Receiving: inbox.js. Receipts (docs/protocol.md, "Receipts") are ordinary
// messages through the same outbox, to the sender's devices only, never shown themselves. Groups (relay version
// 5): group-send.js and group-inbox.js. One operation runs at a time.
import { equal, utf8 } from '../lib/bytes.js';
import { FIRST_DEVICE } from '../lib/device-ids.js';
import { deviceIds } from '../e2e/devices.js';
import { required, targets } from '../e2e/fanout.js';
import { instantNow, MAX_BODY_BYTES, MAX_RECEIPT_IDS } from '../e2e/payload.js';
import * as session from '../e2e/session.js';
import { isSelfConsistent } from '../e2e/x3dh.js';
import { Relay } from '../channel/relay.js';
import { deviceIdOf } from './accounts.js';
import { Copies } from './copies.js';
import {
  acceptedUpdate,
  createGroup,
  FULL_MEMBER,
  groupRecord,
  rebuildGroupSend,
  sendGroupText,
  sendUpdate,
  withoutFullMembers,
} from './group-send.js';
import { fetchVerdict, pinnedSet, refusalText } from './device-pins.js';
import {
  adopted,
  identityFromJson,
  newContact,
  pinOf,
  UntrustedIdentity,
  withRegistryAnswer,
} from './identities.js';
import { isText, moves, receive } from './inbox.js';
import { maintainPreKeys } from './prekeys.js';
import { outKey } from './store.js';

/** Codes after which nothing was stored and the message is kept to be sent again, same id and envelopes. */
const KEPT = new Set(['queue_full', 'sender_share_full', 'sender_quota_full', 'unavailable']);
/** Codes after which the copies are made again for the devices the lists name now, once per send. */
const REBUILT = new Set(['stale_devices', 'invalid_copies']);
/** The same for a group send: its `invalid_copies` means too many users for the server, not stale lists. */
const GROUP_REBUILT = new Set(['stale_devices']);

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

/** What a refusal means for a group send where it differs (docs/protocol.md, "What a client does ... at version 5"). */
const GROUP_SEND_ERRORS = {
  invalid_copies: 'the group is too large for this server',
  envelope_too_large: 'the message is too long for this many devices',
  unknown_recipient: "a member's account no longer exists; nothing was sent to anyone",
};

/** Why a send refused twice for its devices is given up (docs/protocol.md, the error table at version 4). */
const unsignedDevice = (peer) =>
  `not sent: the server asks to encrypt to a device of ${peer} that ${peer}'s identity key has not signed`;

/** Longest a group text or change waits for a new connection's backlog (`caughtUp`) before it is made anyway. */
export const BACKLOG_WAIT_MILLIS = 10_000;

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
    /** This browser's device id (its token's); accounts made before linked devices are device 1. */
    this.deviceId = deviceIdOf(account);
    this.connect =
      connect ||
      ((handlers) =>
        new Relay({
          url: wsUrl,
          serverKey: serverKey.publicKey,
          token: account.token,
          device: this.deviceId,
          ...handlers,
        }));
    this.identityCheckedThisLoad = new Set();
    /** Peers whose device list was fetched and judged in this page load (once before the first send). */
    this.listCheckedThisLoad = new Set();
    /** Devices this browser linked itself: their arrival in the own list is no news. */
    this.linkedHere = new Set();
    /** Devices this browser removed itself: their leaving the own list is no news either. */
    this.removedHere = new Set();
    this.held = new Set();
    this.queue = Promise.resolve();
    this.openPeer = null;
    /** While a new connection's backlog is being delivered: {done, end} (see afterBacklog). */
    this.backlog = null;
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
    this.backlogHandled(); // a new connection has its own backlog; without one, nothing more will come now
    if (status === 'ready') {
      this.backlogStarts();
      this.relayVersion = detail?.version; // 4 from an older server: no group messages
      this.held.clear(); // a new connection delivers again what was left unacknowledged
      this.serial(() => this.refreshOwnList()); // before the outbox: a send names the own devices
      this.serial(() => this.resendOutbox());
      this.serial(() => maintainPreKeys(this.store, this.api, this.account)).catch((e) =>
        this.warn('Could not top up your prekeys: ' + e.message),
      );
    }
  }

  /** A new connection: its backlog comes first, up to `caughtUp` (or BACKLOG_WAIT_MILLIS). */
  backlogStarts() {
    let end;
    const done = new Promise((resolve) => (end = resolve));
    const timer = setTimeout(end, BACKLOG_WAIT_MILLIS);
    this.backlog = {
      done,
      end: () => {
        clearTimeout(timer);
        end();
      },
    };
  }

  backlogHandled() {
    this.backlog?.end();
    this.backlog = null;
  }

  /**
   * Resolves once what the relay queued for this device was handled: at once when offline or caught up, else at the
   * connection's `caughtUp` (after every `deliver` before it), or after BACKLOG_WAIT_MILLIS from a server that never
   * says it. A group text or change is made after it (docs/protocol.md, "Group state"): one made on a state older
   * than a queued removal would reach the removed member, and a change would fork the group.
   */
  afterBacklog() {
    return this.backlog ? this.backlog.done : Promise.resolve();
  }

  async resendOutbox() {
    for (const pending of await this.store.outbox(this.owner)) {
      this.relay.send({ type: 'send', id: pending.id, copies: copiesOf(pending) });
    }
  }

  /** The own identity, as a pin: the own devices' sessions are bound to it. */
  ownPin() {
    const { identity } = this.account;
    return {
      username: this.owner,
      identityKey: identity.signing.publicKey,
      identityDhKey: identity.dh.publicKey,
      identityDhSignature: identity.dhSignature,
    };
  }

  /** The own account's device set as pinned. */
  ownSet() {
    return pinnedSet(this.owner, this.account.ownDeviceList);
  }

  /**
   * Fetches and judges the own list under the own identity key (on every connection and after devicesChanged):
   * a descendant is pinned and the sessions of removed devices deleted; anything else leaves the pin, and the user
   * is told. If this device is no longer listed, it was removed: the page is told ('removed'). A failure to fetch
   * the list is thrown if `strict`, else only told (undefined is returned). Returns the verdict (device-pins.js).
   */
  async refreshOwnList(strict = false) {
    let verdict;
    try {
      verdict = await fetchVerdict(
        this.api,
        this.account.token,
        this.owner,
        this.account.identity.signing.publicKey,
        this.account.ownDeviceList,
      );
    } catch (e) {
      if (strict) {
        throw e;
      }
      this.warn('Could not check the devices of your account: ' + e.message);
      return undefined;
    }
    if (verdict.verdict === 'unchanged') {
      return verdict;
    }
    if (verdict.verdict !== 'accepted') {
      this.warn(refusalText(this.owner, verdict.verdict));
      return verdict;
    }
    const stored = await this.store.get('accounts', this.owner);
    await this.store.tx(['accounts', 'deviceSessions'], 'readwrite', (s) => {
      s.accounts.put({ ...stored, ownDeviceList: verdict.signed });
      verdict.removed.forEach((d) => s.deviceSessions.delete([this.owner, this.owner, d]));
    });
    this.account.ownDeviceList = verdict.signed;
    if (!deviceIds(verdict.list).includes(this.deviceId)) {
      this.relay.stop();
      this.emit('status', { status: 'removed' });
      return verdict;
    }
    verdict.added
      .filter((d) => d !== this.deviceId && !this.linkedHere.has(d))
      .forEach((d) => this.warn(`A new device (device ${d}) was linked to your account.`));
    verdict.removed
      .filter((d) => !this.removedHere.has(d))
      .forEach((d) => this.warn(`Device ${d} was removed from your account.`));
    this.emit('devices');
    return verdict;
  }

  /**
   * `contact` with the list the server serves now for its peer judged under its pinned identity: a descendant
   * becomes the pin ({contact, removed}: the caller saves the contact and deletes the sessions of `removed`);
   * anything else keeps the pin, and the user is told. Network failures are thrown.
   */
  async judgedList(contact) {
    const verdict = await fetchVerdict(
      this.api,
      this.account.token,
      contact.peer,
      contact.identityKey,
      contact.deviceList,
    );
    this.listCheckedThisLoad.add(contact.peer);
    if (verdict.verdict === 'accepted') {
      return { contact: { ...contact, deviceList: verdict.signed }, removed: verdict.removed };
    }
    if (verdict.verdict !== 'unchanged') {
      this.warn(refusalText(contact.peer, verdict.verdict), contact.peer);
    }
    return { contact, removed: [] };
  }

  /** Saves what judgedList gave: the contact, and the sessions of removed devices deleted. */
  saveJudged({ contact, removed }) {
    return this.store.tx(['contacts', 'deviceSessions'], 'readwrite', (s) => {
      s.contacts.put(contact);
      removed.forEach((d) => s.deviceSessions.delete([this.owner, contact.peer, d]));
    });
  }

  /** judgedList once per page load, before the first send to the peer; if the server cannot answer, the pin. */
  async listBeforeSending(contact) {
    if (this.listCheckedThisLoad.has(contact.peer)) {
      return { contact, removed: [] };
    }
    try {
      return await this.judgedList(contact);
    } catch {
      return { contact, removed: [] }; // offline: the pin, checked again next time
    }
  }

  /**
   * Encrypts `payload` for every device of `contact`'s pinned list and, if `transcripts`, a `sent` transcript of it
   * for every other device of the own account, in fan-out order (fanout.targets); `kept` holds copies already made
   * (rebuilt sends keep their envelopes). Sessions are started where needed (UntrustedIdentity if a bundle is not
   * the pin's or not signed for its device).
   */
  async makeCopies(copies, contact, payload, transcripts, kept = []) {
    const peer = contact.peer;
    const pin = pinOf(contact);
    const wanted = targets(
      this.deviceId,
      this.ownSet(),
      pinnedSet(peer, contact.deviceList),
      transcripts,
    );
    const keep = (t) => kept.find((k) => k.to === t.to && k.device === t.device);
    const fresh = wanted.filter((t) => !keep(t));
    const devicesOf = (user) => fresh.filter((t) => t.to === user).map((t) => t.device);
    await copies.start(peer, pin, devicesOf(peer), !contact.deviceList);
    if (devicesOf(this.owner).length) {
      await copies.start(this.owner, this.ownPin(), devicesOf(this.owner), false);
    }
    const transcript = { id: payload.id, type: 'sent', sentAt: payload.sentAt, to: peer };
    const made = [];
    for (const t of wanted) {
      if (keep(t)) {
        made.push(keep(t));
      } else if (t.to === peer) {
        made.push(await copies.encrypt(peer, t.device, pin, payload));
      } else {
        made.push(
          await copies.encrypt(this.owner, t.device, this.ownPin(), {
            ...transcript,
            body: payload.body,
          }),
        );
      }
    }
    return made;
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

  /** The ratchet records of every device of `peer`: [{device, record}]. */
  async records(peer) {
    const stored = await this.store.deviceSessionsOf(this.owner, peer);
    return stored.map((r) => ({ device: r.device, record: r.record }));
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
    if (peer === this.owner) {
      return Promise.reject(new Error('there is no conversation with yourself.'));
    }
    return this.serial(async () => {
      let contact = await this.contact(peer);
      if (contact?.pending) {
        throw new UntrustedIdentity(peer, 'pending');
      }
      contact = contact || newContact(this.owner, await this.registryIdentity(peer));
      const listed = await this.listBeforeSending(contact);
      contact = listed.contact;
      const payload = { id: crypto.randomUUID(), type: 'text', sentAt: instantNow(), body: text };
      const copies = new Copies(this);
      const made = await this.makeCopies(copies, contact, payload, true);
      const { id, sentAt } = payload;
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
      await this.store.tx(
        ['deviceSessions', 'outbox', 'messages', 'contacts'],
        'readwrite',
        (s) => {
          listed.removed.forEach((d) => s.deviceSessions.delete([this.owner, peer, d]));
          copies.save(s);
          s.outbox.put({ owner: this.owner, id, to: peer, copies: made, payload, at: now });
          s.messages.put(message);
          s.contacts.put({ ...contact, lastAt: now, lastText: text });
        },
      );
      this.emit('message', { peer, message });
      this.emit('contacts');
      this.relay.send({ type: 'send', id, copies: made });
      return message;
    });
  }

  /**
   * A receipt to every device of `contact`'s pinned list, on the records of `copies` (which keeps the changed
   * ones for the caller to save): {outbox, frame}, or null where receipts may not be sent (no contact, a pending
   * identity, or no session bound to the pin with any of its devices: a receipt never starts a conversation; devices
   * without one get a session from their bundles, and if that fails no receipt is owed).
   */
  async receiptFor(copies, contact, receipt, of) {
    if (!contact || contact.pending) {
      return null;
    }
    const peer = contact.peer;
    const pin = pinOf(contact);
    const devices = required(this.owner, this.deviceId, pinnedSet(peer, contact.deviceList));
    const ready = [];
    for (const device of devices) {
      if (await copies.canSend(peer, device, pin)) {
        ready.push(device);
      }
    }
    if (ready.length === 0) {
      return null;
    }
    if (ready.length < devices.length) {
      try {
        await copies.start(peer, pin, devices, !contact.deviceList);
      } catch {
        return null;
      }
    }
    const payload = { id: crypto.randomUUID(), type: 'receipt', sentAt: instantNow(), receipt, of };
    const made = [];
    for (const device of devices) {
      made.push(await copies.encrypt(peer, device, pin, payload));
    }
    const { id } = payload;
    return {
      outbox: { owner: this.owner, id, to: peer, copies: made, payload, at: Date.now() },
      frame: { type: 'send', id, copies: made },
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
          return this.refused(m);
        }
        return this.warn('The server refused a request: ' + m.message);
      case 'delivered':
        await this.settle(m.id, 'reached');
        this.relay.send(
          m.device === undefined
            ? { type: 'receiptAck', id: m.id }
            : { type: 'receiptAck', id: m.id, to: m.to, device: m.device },
        );
        return undefined;
      case 'devicesChanged': // a device was linked to or removed from this account: fetch and judge the list
        return this.refreshOwnList();
      case 'caughtUp': // every deliver queued when this connection opened was handled (they come before it)
        return this.backlogHandled();
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

  /**
   * The server refused a send (docs/protocol.md, the error table at version 4): kept for the next connection when
   * nothing was stored for a passing reason; rebuilt once for its devices after `stale_devices` or `invalid_copies`;
   * otherwise failed.
   */
  async refused(m) {
    const pending = await this.store.get('outbox', [this.owner, m.id]);
    const to = pending?.group ? 'the group ' + (await this.groupName(pending.group)) : pending?.to;
    if (pending?.group && FULL_MEMBER.has(m.code)) {
      const { kept, told } = await withoutFullMembers(this, pending, m.devices, to);
      if (told) {
        this.warn(told, pending.to);
      }
      if (!kept) {
        return undefined;
      }
    }
    if (KEPT.has(m.code) && pending) {
      this.warn(
        `A message to ${to} waits: ${SEND_ERRORS[m.code]}. SecureCom sends it again when it reconnects.`,
        pending.to,
      );
      return undefined;
    }
    if (pending && (pending.group ? GROUP_REBUILT : REBUILT).has(m.code)) {
      return pending.group ? this.rebuildGroup(pending, m.code) : this.rebuild(pending, m.code);
    }
    const text = (pending?.group && GROUP_SEND_ERRORS[m.code]) || SEND_ERRORS[m.code] || m.message;
    if (pending?.group) {
      this.warn(`A message to ${to} failed: ${text}.`, pending.to);
    }
    return this.settle(m.id, 'failed', text);
  }

  /**
   * After `stale_devices` or `invalid_copies`: fetches and judges the lists of the peer and of the own account,
   * keeps the envelopes of devices that stay, encrypts for the devices that came, and sends again under the same
   * id, once per send. Refused again, or impossible (a pending identity, a send stored before the payload was
   * kept), the message failed.
   */
  async rebuild(pending, code) {
    const peer = pending.to;
    let contact = await this.contact(peer);
    if (pending.rebuilt || !pending.payload || !contact || contact.pending) {
      return this.settle(
        pending.id,
        'failed',
        pending.rebuilt && code === 'stale_devices' ? unsignedDevice(peer) : SEND_ERRORS[code],
      );
    }
    let listed;
    try {
      listed = await this.judgedList(contact);
      await this.refreshOwnList();
    } catch (e) {
      return this.settle(pending.id, 'failed', SEND_ERRORS[code] + ' (' + e.message + ')');
    }
    contact = listed.contact;
    const copies = new Copies(this);
    let made;
    try {
      made = await this.makeCopies(
        copies,
        contact,
        pending.payload,
        pending.payload.type === 'text',
        pending.copies || [],
      );
    } catch (e) {
      return this.settle(pending.id, 'failed', e.message);
    }
    const next = { ...pending, copies: made, rebuilt: true };
    await this.store.tx(['deviceSessions', 'outbox', 'contacts'], 'readwrite', (s) => {
      listed.removed.forEach((d) => s.deviceSessions.delete([this.owner, peer, d]));
      copies.save(s);
      s.outbox.put(next);
      s.contacts.put(contact);
    });
    this.relay.send({ type: 'send', id: pending.id, copies: made });
    return undefined;
  }

  /** After `stale_devices` for a group send: rebuilt once for the lists as they are now (group-send.js). */
  async rebuildGroup(pending, code) {
    if (pending.rebuilt) {
      return this.settle(pending.id, 'failed', SEND_ERRORS[code] + ' (again, after a rebuild)');
    }
    try {
      await rebuildGroupSend(this, pending);
    } catch (e) {
      return this.settle(pending.id, 'failed', SEND_ERRORS[code] + ' (' + e.message + ')');
    }
    return undefined;
  }

  // --- groups (group-send.js, group-inbox.js) -----------------------------------------------------------------------

  /** Every group this account knows a state of: [{owner, id, state, told, lastAt, lastText}]. */
  async groups() {
    return (await this.store.ownedBy('groups', this.owner)).filter((g) => g.state);
  }

  /** The stored group record of `id`, or undefined. */
  group(id) {
    return groupRecord(this, id);
  }

  async groupName(id) {
    return (await this.group(id))?.state?.name ?? id;
  }

  /** Creates a group named `name` with `members` and tells them (one send). Returns its state. */
  createGroup(name, members) {
    return this.serial(() => createGroup(this, name, members));
  }

  /** Sends `text` to the group `id`. Returns the stored message. */
  sendToGroup(id, text) {
    return this.afterBacklog().then(() => this.serial(() => sendGroupText(this, id, text)));
  }

  /**
   * Changes the group `id`: `build(state)` gives the successor (groups.js withAdded, withRemoved, withName,
   * withAdmins, leftBy), checked with the rules as its own sender and sent to the members of both states; `notice`
   * is what its conversation shows. Returns the new state.
   */
  changeGroup(id, build, notice) {
    return this.afterBacklog().then(() =>
      this.serial(async () => {
        const current = (await this.group(id))?.state;
        if (!current?.members.includes(this.owner)) {
          throw new Error('you are not a member of this group any more.');
        }
        return sendUpdate(this, current, build(current), notice);
      }),
    );
  }

  /** Records what the server said about an outgoing message (receipts have no message: nothing shows). */
  async settle(id, state, failure) {
    const message = await this.store.get('messages', [this.owner, outKey(id)]);
    const updated = message && moves(message.state, state) ? { ...message, state, failure } : null;
    const pending = state === 'sent' ? await this.store.get('outbox', [this.owner, id]) : null;
    const update =
      pending?.payload?.type === 'groupUpdate' ? await acceptedUpdate(this, pending) : null;
    await this.store.tx(['outbox', 'messages', 'groups'], 'readwrite', (s) => {
      s.outbox.delete([this.owner, id]);
      if (updated) {
        s.messages.put(updated);
      }
      if (update) {
        s.groups.put(update.record); // an own group change applies once the server stored it
        s.messages.put(update.shown);
      }
    });
    if (updated) {
      this.emit('message', { peer: updated.peer, message: updated });
    }
    if (update) {
      this.emit('message', { peer: update.shown.peer, message: update.shown });
      this.emit('contacts');
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
    const copies = new Copies(this);
    const receipts = [];
    for (let at = 0; at < ids.length; at += MAX_RECEIPT_IDS) {
      const receipt = await this.receiptFor(
        copies,
        contact,
        'read',
        ids.slice(at, at + MAX_RECEIPT_IDS),
      );
      if (!receipt) {
        break;
      }
      receipts.push(receipt);
    }
    const seen = unseen.map((m) => ({ ...m, seenByUser: true }));
    await this.store.tx(['messages', 'contacts', 'deviceSessions', 'outbox'], 'readwrite', (s) => {
      seen.forEach((m) => s.messages.put(m));
      if (contact) {
        s.contacts.put({ ...contact, unread: 0 });
      }
      copies.save(s);
      receipts.forEach((r) => s.outbox.put(r.outbox));
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

  /**
   * The pending identity becomes the pin: sessions of every device bound to another identity are deleted, and the
   * device list pinned under the old identity key goes (it says nothing about the new one's devices; the list is
   * fetched again, under the new key, before the next send).
   */
  async adopt(contact, verified) {
    const next = { ...adopted(contact, verified), deviceList: null };
    const records = await this.records(contact.peer);
    this.listCheckedThisLoad.delete(contact.peer);
    await this.store.tx(['contacts', 'deviceSessions'], 'readwrite', (s) => {
      s.contacts.put(next);
      for (const { device, record } of records) {
        s.deviceSessions.put({
          owner: this.owner,
          peer: contact.peer,
          device,
          record: session.retain(record, [pinOf(next)]),
        });
      }
    });
  }
}

/** The copies of an outbox entry; an entry stored before version 4 holds one envelope, for device 1. */
export function copiesOf(pending) {
  return pending.copies || [{ to: pending.to, device: FIRST_DEVICE, envelope: pending.envelope }];
}
