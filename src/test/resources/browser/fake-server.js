// A test double of the SecureCom server for the browser client's real modules: a key registry whose answers the
// test chooses per viewer (so it can lie, as a malicious server would), and a relay that moves frames between
// parties only when the test says so (and can tamper with them, or hand them to someone else).
import { ApiError } from '/js/app/api.js';
import { Messenger } from '/js/app/messenger.js';
import { Store } from '/js/app/store.js';
import {
  generateIdentity, newOneTimePreKeys, newSignedPreKey, oneTimePreKeyJson, signedPreKeyJson,
} from '/js/app/keys.js';
import { base64 } from '/js/lib/bytes.js';

const RUN = Math.random().toString(36).slice(2, 10);
const databases = [];

/** The relay connection a Messenger gets: records what it sends; the test delivers to it. */
class FakeRelay {
  constructor() {
    this.sent = [];
    this.status = 'stopped';
  }

  attach(handlers) {
    this.handlers = handlers;
    return this;
  }

  start() {
    this.status = 'ready';
    this.handlers.onStatus('ready', {});
  }

  stop() {
    this.status = 'stopped';
  }

  send(message) {
    this.sent.push(message);
    return true;
  }

  /** Hands `message` to the Messenger and waits until it has handled it. */
  async deliver(message) {
    await this.handlers.onMessage(message);
  }

  /** Removes and returns the frames sent so far that `keep` selects. */
  take(keep = () => true) {
    const taken = this.sent.filter(keep);
    this.sent = this.sent.filter((m) => !keep(m));
    return taken;
  }
}

/** One user's browser: an account with fresh keys, its own IndexedDB profile, a Messenger and its relay. */
export class Party {
  static async create(server, name, label) {
    const account = { username: name, identity: await generateIdentity(), signedPreKeys: [], nextPreKeyId: 1,
      token: 'token-of-' + label, tokenExpiresAt: Date.now() + 3600_000, registered: true, createdAt: Date.now() };
    account.signedPreKeys.push(await newSignedPreKey(account));
    const oneTime = await newOneTimePreKeys(account, 5);
    const dbName = `securecom-protocol-test-${RUN}-${databases.length}-${label}`; // a new profile every time
    databases.push(dbName);
    const store = await Store.open(dbName);
    await store.tx(['accounts', 'oneTimePreKeys'], 'readwrite', (s) => {
      s.accounts.put(account);
      oneTime.forEach((k) => s.oneTimePreKeys.put(k));
    });
    const party = new Party(server, name, label, account, store, oneTime.map(oneTimePreKeyJson));
    await party.start();
    return party;
  }

  constructor(server, name, label, account, store, oneTimePreKeys) {
    this.server = server;
    this.name = name;
    this.label = label;
    this.account = account;
    this.store = store;
    this.oneTimePreKeys = oneTimePreKeys;
    this.warnings = [];
    this.relay = new FakeRelay();
  }

  async start() {
    this.messenger = new Messenger({ store: this.store, api: this.server.apiFor(this), account: this.account,
      connect: (handlers) => this.relay.attach(handlers) });
    this.messenger.addEventListener('warning', (e) => this.warnings.push(e.detail.text));
    this.messenger.start();
    await this.idle();
  }

  /** Waits until the Messenger has finished everything it started. */
  idle() {
    return this.messenger.serial(() => {});
  }

  /** A new connection: the relay is ready again (the Messenger resends its outbox). */
  async reconnect() {
    this.relay.handlers.onStatus('ready', {});
    await this.idle();
  }

  /** What the registry publishes for this user: {identityKey, identityDhKey:{publicKey, signature}}. */
  identityJson() {
    return {
      identityKey: base64(this.account.identity.signing.publicKey),
      identityDhKey: { publicKey: base64(this.account.identity.dh.publicKey),
        signature: base64(this.account.identity.dhSignature) },
    };
  }

  bundleJson() {
    const oneTimePreKey = this.oneTimePreKeys.shift();
    return { ...this.identityJson(), signedPreKey: signedPreKeyJson(this.account.signedPreKeys[0]),
      ...(oneTimePreKey ? { oneTimePreKey } : {}) };
  }

  contact(peer) {
    return this.store.get('contacts', [this.name, peer]);
  }

  conversation(peer) {
    return this.messenger.conversation(peer);
  }

  async texts(peer) {
    return (await this.conversation(peer)).filter((m) => m.dir === 'in' && m.kind === 'text').map((m) => m.body);
  }

  async notices(peer) {
    return (await this.conversation(peer)).filter((m) => m.kind === 'late' || m.kind === 'undecryptable');
  }

  async sessions(peer) {
    return (await this.store.get('sessions', [this.name, peer]))?.record.sessions || [];
  }

  async outgoing(id) {
    return this.store.get('messages', [this.name, 'out/' + id]);
  }
}

/** The registry and the relay. By default the registry tells the truth; `show` makes it lie to one viewer. */
export class FakeServer {
  constructor() {
    this.published = new Map();
    this.lies = new Map();
    this.identityFailure = null;
    this.clock = Date.parse('2025-01-01T12:00:00Z');
  }

  async party(name, label = name) {
    const party = await Party.create(this, name, label);
    if (!this.published.has(name)) {
      this.published.set(name, party);
    }
    return party;
  }

  /** From now on the registry answers `viewer`'s questions about `username` with `party`'s keys. */
  show(viewer, username, party) {
    this.lies.set(viewer.label + '/' + username, party);
  }

  /** From now on the registry answers everyone's questions about `username` with `party`'s keys. */
  publish(username, party) {
    this.published.set(username, party);
    [...this.lies.keys()].filter((k) => k.endsWith('/' + username)).forEach((k) => this.lies.delete(k));
  }

  lookup(viewer, username) {
    const party = this.lies.get(viewer.label + '/' + username) || this.published.get(username);
    if (!party) {
      throw new ApiError(404, 'unknown_user');
    }
    return party;
  }

  apiFor(viewer) {
    return {
      identity: async (token, username) => {
        if (this.identityFailure) {
          throw this.identityFailure;
        }
        return this.lookup(viewer, username).identityJson();
      },
      bundle: async (token, username) => this.lookup(viewer, username).bundleJson(),
      oneTimePreKeyCount: async () => ({ count: 100 }),
      uploadOneTimePreKeys: async () => ({ count: 100 }),
      rotateSignedPreKey: async () => null,
    };
  }

  /** Takes the `send` frames `from` has sent (each id once, as the relay stores it once) and accepts them. */
  async accept(from) {
    const seen = new Set();
    const sends = from.relay.take((m) => m.type === 'send').filter((m) => !seen.has(m.id) && seen.add(m.id));
    for (const s of sends) {
      await from.relay.deliver({ type: 'accepted', id: s.id });
    }
    return sends;
  }

  /**
   * Delivers `frame` (a `send` of `from`) to `to` as from `as` (default from.name), with `envelope` replaced if
   * given; if `to` acknowledges it, tells `from` (relay `delivered`) unless `receipt` is false. Returns whether it
   * was acknowledged.
   */
  async deliver(from, frame, to, { as = from.name, envelope = frame.envelope, receipt = true } = {}) {
    this.clock += 1000;
    await to.relay.deliver({ type: 'deliver', id: frame.id, from: as, envelope,
      sentAt: new Date(this.clock).toISOString().replace('.000Z', 'Z') });
    const acked = to.relay.take((m) => m.type === 'ack' && m.id === frame.id && m.from === as).length > 0;
    if (acked && receipt) {
      await from.relay.deliver({ type: 'delivered', id: frame.id, to: frame.to });
      from.relay.take((m) => m.type === 'receiptAck' && m.id === frame.id);
    }
    return acked;
  }

  /** Everything `from` sent so far, accepted and delivered in order to `to`; returns the frames. */
  async transfer(from, to, options) {
    const frames = await this.accept(from);
    for (const frame of frames) {
      await this.deliver(from, frame, to, options);
    }
    return frames;
  }
}

/** Deletes the test's IndexedDB profiles. */
export async function cleanUp() {
  await Promise.all(databases.map((name) => new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  })));
}
