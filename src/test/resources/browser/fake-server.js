// A test double of the SecureCom server for the browser client's real modules: a key registry whose answers the
// test chooses per viewer (so it can lie, as a malicious server would), and a relay that moves frames between
// parties only when the test says so (and can tamper with them, or hand them to someone else).
import { ApiError } from '/js/app/api.js';
import { Messenger } from '/js/app/messenger.js';
import { Store } from '/js/app/store.js';
import {
  generateIdentity, newOneTimePreKeys, newSignedPreKey, oneTimePreKeyJson, signedPreKeyJson,
} from '/js/app/keys.js';
import { encodeList } from '/js/e2e/devices.js';
import { signedPreKeyMessageV3 } from '/js/e2e/x3dh.js';
import { base64 } from '/js/lib/bytes.js';
import { ed25519Sign } from '/js/lib/crypto.js';

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

  /** A new connection: `ready`, then (unless `backlog` is held for the test to end) an empty backlog's `caughtUp`. */
  start({ backlog = false } = {}) {
    this.status = 'ready';
    this.handlers.onStatus('ready', {});
    if (!backlog) {
      this.handlers.onMessage({ type: 'caughtUp' });
    }
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

/**
 * One user's browser: an account with fresh keys (or, with `linkedTo`, another device of that party's account: the
 * same identity, device `deviceId`, a signed prekey signed for it), its own IndexedDB profile, a Messenger and its
 * relay.
 */
export class Party {
  static async create(server, name, label, linkedTo = null, deviceId = 1, start = true) {
    const account = { username: name, identity: linkedTo ? linkedTo.account.identity : await generateIdentity(),
      signedPreKeys: [], nextPreKeyId: 1, token: 'token-of-' + label, tokenExpiresAt: Date.now() + 3600_000,
      registered: true, createdAt: Date.now(), deviceId };
    const signedPreKey = await newSignedPreKey(account);
    if (deviceId !== 1) {
      signedPreKey.signature = await ed25519Sign(account.identity.signing.privateKey,
        signedPreKeyMessageV3(deviceId, signedPreKey.keyId, signedPreKey.createdAtSeconds, signedPreKey.publicKey));
    }
    account.signedPreKeys.push(signedPreKey);
    const oneTime = await newOneTimePreKeys(account, 5);
    const dbName = `securecom-protocol-test-${RUN}-${databases.length}-${label}`; // a new profile every time
    databases.push(dbName);
    const store = await Store.open(dbName);
    await store.tx(['accounts', 'oneTimePreKeys'], 'readwrite', (s) => {
      s.accounts.put(account);
      oneTime.forEach((k) => s.oneTimePreKeys.put(k));
    });
    const party = new Party(server, name, label, account, store, oneTime.map(oneTimePreKeyJson));
    if (start) {
      await party.start();
    }
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
    this.deviceId = account.deviceId;
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

  /**
   * A new connection: the relay is ready again (the Messenger resends its outbox); with `backlog`, the test delivers
   * what was queued and then `caughtUp` itself.
   */
  async reconnect({ backlog = false } = {}) {
    this.relay.start({ backlog });
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

  async sessions(peer, device = 1) {
    return (await this.store.get('deviceSessions', [this.name, peer, device]))?.record.sessions || [];
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
    /** username -> {signed: {body, signature} in base64, devices: [Party]}: accounts with linked devices. */
    this.accounts = new Map();
    /** username -> the list JSON served instead of the stored one (a lying server). */
    this.servedLists = new Map();
  }

  /**
   * Links a new device to `base`'s account, as the account's identity key signs it: the list names every device
   * of the account (serial one higher each time). Returns the new device's Party.
   */
  async link(base, label) {
    const account = this.accounts.get(base.name) || { devices: [base], serial: 0 };
    const deviceId = Math.max(...account.devices.map((d) => d.deviceId)) + 1;
    const party = await Party.create(this, base.name, label, base, deviceId);
    account.devices.push(party);
    account.serial += 1;
    account.signed = await this.signedList(base, account.devices.map((d) => d.deviceId), account.serial);
    this.accounts.set(base.name, account);
    return party;
  }

  /** A list of `ids` for `party`'s account signed with its identity key (or `signer`'s, to forge one). */
  async signedList(party, ids, serial, signer = party) {
    const list = { username: party.name, identityKey: party.account.identity.signing.publicKey, serial,
      issuedAt: Math.floor(this.clock / 1000), lastDeviceId: Math.max(...ids),
      entries: ids.map((deviceId) => ({ deviceId, createdAt: Math.floor(this.clock / 1000) })) };
    const body = encodeList(list);
    return { body: base64(body), signature: base64(await ed25519Sign(signer.account.identity.signing.privateKey,
      body)) };
  }

  /** `GET /api/devices/{username}` as the server answers it (or as a test makes it lie). */
  deviceListJson(username) {
    if (this.servedLists.has(username)) {
      return this.servedLists.get(username);
    }
    const account = this.accounts.get(username);
    return account ? { username, deviceList: account.signed, devices: account.devices.map((d) => d.deviceId) }
      : { username, devices: [1] };
  }

  /** The party that is device `deviceId` of `username`'s account, as the registry (maybe lying) gives it. */
  device(viewer, username, deviceId) {
    const account = this.accounts.get(username);
    const party = account?.devices.find((d) => d.deviceId === deviceId) || this.lookup(viewer, username);
    if (party.deviceId !== deviceId) {
      throw new ApiError(404, 'unknown_device');
    }
    return party;
  }

  async party(name, label = name) {
    const party = await Party.create(this, name, label, null, 1, false);
    if (!this.published.has(name)) {
      this.published.set(name, party); // before it connects: its first connection fetches its own list
    }
    await party.start();
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
      bundles: async (token, username, devices) => {
        const parties = devices.map((d) => this.device(viewer, username, d));
        return { ...parties[0].identityJson(), devices: parties.map((p) => {
          const { signedPreKey, oneTimePreKey } = p.bundleJson();
          return { deviceId: p.deviceId, signedPreKey, ...(oneTimePreKey ? { oneTimePreKey } : {}) };
        }) };
      },
      deviceList: async (token, username) => {
        this.lookup(viewer, username);
        return this.deviceListJson(username);
      },
      oneTimePreKeyCount: async () => ({ count: 100 }),
      uploadOneTimePreKeys: async () => ({ count: 100 }),
      rotateSignedPreKey: async () => null,
    };
  }

  /**
   * Takes the `send` frames `from` has sent (each id once, as the relay stores it once) and accepts them. A send of
   * one copy also gets that copy's `to` and `envelope` as members, so checks about one envelope read it as before.
   */
  async accept(from) {
    const seen = new Set();
    const sends = from.relay.take((m) => m.type === 'send').filter((m) => !seen.has(m.id) && seen.add(m.id));
    for (const s of sends) {
      await from.relay.deliver({ type: 'accepted', id: s.id });
    }
    return sends.map(withOneCopy);
  }

  /**
   * Delivers `frame` (a `send` of `from`) to `to` as from `as` (default from.name), with `envelope` replaced if
   * given; if `to` acknowledges it, tells `from` (relay `delivered`) unless `receipt` is false. Returns whether it
   * was acknowledged.
   */
  async deliver(from, frame, to, { as = from.name, envelope, receipt = true, device = from.deviceId } = {}) {
    this.clock += 1000;
    const copy = frame.copies?.find((c) => c.to === to.name && c.device === to.deviceId);
    await to.relay.deliver({ type: 'deliver', id: frame.id, from: as, device,
      envelope: envelope || copy?.envelope || frame.envelope,
      sentAt: new Date(this.clock).toISOString().replace('.000Z', 'Z') });
    const acked = to.relay.take((m) => m.type === 'ack' && m.id === frame.id && m.from === as
      && m.device === device).length > 0;
    if (acked && receipt && as !== to.name) {
      await from.relay.deliver({ type: 'delivered', id: frame.id, to: to.name, device: to.deviceId });
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

/** `frame` with its only copy's `to` and `envelope` as members (a send of several copies as it is). */
function withOneCopy(frame) {
  return frame.copies?.length === 1 ? { ...frame, to: frame.copies[0].to, envelope: frame.copies[0].envelope }
    : frame;
}

/** Deletes the test's IndexedDB profiles. */
export async function cleanUp() {
  await Promise.all(databases.map((name) => new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  })));
}
