// The browser profile in IndexedDB: accounts (with their private keys as non-extractable CryptoKeys), one-time
// prekeys, pinned contacts, session records (ratchet state) per peer device, messages, the outbox and the ids of
// messages already handled. Several stores change in one transaction, so nothing is half-saved.
//
// Every record is sealed (sealed-records.js): only the fields in CLEAR_FIELDS, which IndexedDB needs for its keys
// and indexes, stay readable; the rest is encrypted under the storage key in the `keyring` store. CryptoKeys stay
// beside the blob as they are: script cannot read their bytes, so it cannot seal them, and a dump cannot read
// them either. Callers see plain values. WebCrypto is asynchronous and a transaction commits as soon as it has no
// request pending, so a write seals every value first and only then opens its transaction; reads decrypt after
// theirs completed. Transactions are opened in the order the calls were made, so a read sees every write called
// before it.
//
// Version 3 (linked devices, docs/design/linked-devices.md "Browser"): sessions and handled ids are per device of
// the peer, in `deviceSessions` ([owner, peer, device]) and `seenV3` ([owner, from, device, id]); `device` is a
// device id (lib/device-ids.js). The records of the version 2 stores `sessions` and `seen` are copied there as
// device 1 after the open, then deleted (store-migration.js; resumable through the keyring's `devicesLeft` mark).
// The two old object stores themselves stay, empty: a tab that is still copying from them must find them, and
// deleting a store needs another version change for nothing.
//
// Fields of version 3 that need no schema change (they are sealed like the rest of their record):
// - accounts.deviceId: this browser's device id in its account (missing: 1, every account made before linking);
// - accounts.ownDeviceList: the pinned signed list of the own account {body, signature}, or missing;
// - accounts.identity.privateBytes: {signingKey, dhPrivateKey}, the 32-byte Ed25519 seed and X25519 private key
//   of the identity, kept for linking another device (keys.js); missing for accounts made before (their identity
//   keys exist only as non-extractable CryptoKeys, so they cannot be the linking device);
// - contacts.deviceList: the pinned signed list of the peer {body, signature}, or missing;
// - outbox records may hold `copies`, [{to, device, envelope}], instead of one `to` and `envelope`;
// - messages.device: the peer's device a message came from (missing: 1); messages.transcript: true for a
//   transcript of a message this account sent from another of its devices.
//
// Version 4 (groups, docs/design/groups.md): the `groups` store ([owner, id]) holds each group this account knows
// {owner, id, state, told}: `state` the group state (js/e2e/groups.js) or null for a group only heard of (an update
// or a text that was refused), `told` the reasons the user was told of already (once per group and reason). Needs
// no migration of records. Fields that need no schema change: messages of a group conversation have `peer`
// groupPeer(id) ('#' and the id: never a username), `group` the id and `from` the sender; outbox records of a
// group send have `group` and `recipients` (the users named).

import { SealedRecords, StoredDataDamaged, isStorageKey, newStorageKey } from './sealed-records.js';
import { copyToDeviceStores, sealPlaintextRecords } from './store-migration.js';
import { FIRST_DEVICE, isDeviceId } from '../lib/device-ids.js';

const NAME = 'securecom';
// 2: records sealed, the storage key in `keyring`; 3: sessions and handled ids per device (deviceSessions, seenV3);
// 4: groups
const VERSION = 4;

/**
 * What stays in clear in each store: its key path and the fields of its indexes. Everything else of a record
 * (message text, the contact's lastText preview, ratchet keys, the bearer token, notes) is sealed.
 */
export const CLEAR_FIELDS = Object.freeze({
  meta: ['key'],
  accounts: ['username'],
  oneTimePreKeys: ['owner', 'keyId'],
  contacts: ['owner', 'peer'],
  sessions: ['owner', 'peer'], // version 2, empty once copied to deviceSessions
  messages: ['owner', 'key', 'peer', 'at'],
  outbox: ['owner', 'id', 'at'],
  seen: ['owner', 'from', 'id'], // version 2, empty once copied to seenV3
  deviceSessions: ['owner', 'peer', 'device'],
  seenV3: ['owner', 'from', 'device', 'id'],
  groups: ['owner', 'id'],
});

/** Version 2 stores and the version 3 store each one's records were copied to, as device 1 (the migration). */
export const DEVICE_STORES = Object.freeze({ sessions: 'deviceSessions', seen: 'seenV3' });

/** Records of the per-device stores must name a device by its id (TypeError, at the call, otherwise). */
function checkDevice(name, value) {
  if ((name === 'deviceSessions' || name === 'seenV3') && !isDeviceId(value?.device)) {
    throw new TypeError(name + ' records need a device id');
  }
}

/** The key of a device session. */
export function deviceSessionKey(owner, peer, device) {
  if (!isDeviceId(device)) {
    throw new TypeError('not a device id: ' + device);
  }
  return [owner, peer, device];
}

/** The key of a handled message id from one device of `from`. */
export function seenKey(owner, from, device, id) {
  if (!isDeviceId(device)) {
    throw new TypeError('not a device id: ' + device);
  }
  return [owner, from, device, id];
}

const KEYRING = 'keyring';
const STORAGE_KEY = 'records';

function upgrade(db, transaction, oldVersion, storageKey) {
  if (oldVersion < 1) {
    db.createObjectStore('meta', { keyPath: 'key' });
    db.createObjectStore('accounts', { keyPath: 'username' });
    db.createObjectStore('oneTimePreKeys', { keyPath: ['owner', 'keyId'] });
    db.createObjectStore('contacts', { keyPath: ['owner', 'peer'] });
    db.createObjectStore('sessions', { keyPath: ['owner', 'peer'] });
    const messages = db.createObjectStore('messages', { keyPath: ['owner', 'key'] });
    messages.createIndex('byConversation', ['owner', 'peer', 'at']);
    const outbox = db.createObjectStore('outbox', { keyPath: ['owner', 'id'] });
    outbox.createIndex('byOwner', ['owner', 'at']);
    db.createObjectStore('seen', { keyPath: ['owner', 'from', 'id'] });
  }
  if (oldVersion < 2) {
    // The key is made in the same transaction as the store, so two tabs opening at once cannot make two keys.
    // Records of version 1 are plaintext: they are sealed after the open (an upgrade cannot await WebCrypto).
    db.createObjectStore(KEYRING, { keyPath: 'name' }).put({
      name: STORAGE_KEY,
      key: storageKey,
      plaintextLeft: oldVersion > 0,
      devicesLeft: oldVersion > 0,
    });
  }
  if (oldVersion < 3) {
    // The version 2 stores' records are copied after the open (they must be opened and sealed again, which an
    // upgrade cannot await); the mark says so until every one was copied.
    db.createObjectStore('deviceSessions', { keyPath: ['owner', 'peer', 'device'] });
    db.createObjectStore('seenV3', { keyPath: ['owner', 'from', 'device', 'id'] });
    if (oldVersion === 2) {
      const keyring = transaction.objectStore(KEYRING);
      const current = keyring.get(STORAGE_KEY);
      current.onsuccess = () => {
        if (current.result) {
          keyring.put({ ...current.result, devicesLeft: true });
        } // else the open finds no key and says the profile is damaged
      };
    }
  }
  if (oldVersion < 4) {
    db.createObjectStore('groups', { keyPath: ['owner', 'id'] });
  }
}

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function committed(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error || new Error('transaction aborted'));
  });
}

function openDatabase(name, storageKey) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, VERSION);
    request.onupgradeneeded = (e) =>
      upgrade(request.result, request.transaction, e.oldVersion, storageKey);
    request.onblocked = () =>
      reject(
        new Error(
          'SecureCom is still open in another tab with an older version of' +
            ' this page. Close the other tabs, then reload this one.',
        ),
      );
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export class Store {
  /**
   * Opens (creating or upgrading) the profile. Records left in plaintext by version 1 are sealed now, then the
   * records of the version 2 stores `sessions` and `seen` are copied to deviceSessions and seenV3 as device 1,
   * each in one pass that can be interrupted and run again (store-migration.js). StoredDataDamaged if the storage
   * key is missing or not a non-extractable AES-256-GCM key, or an old record to copy does not open.
   */
  static async open(name = NAME) {
    const db = await openDatabase(name, await newStorageKey()); // the new key is kept only by a first open
    const keyring = await promised(db.transaction(KEYRING).objectStore(KEYRING).get(STORAGE_KEY));
    if (!isStorageKey(keyring?.key)) {
      db.close();
      throw new StoredDataDamaged();
    }
    const records = new SealedRecords(keyring.key, CLEAR_FIELDS);
    try {
      if (keyring.plaintextLeft) {
        await sealPlaintextRecords(db, records, Object.keys(CLEAR_FIELDS));
        await Store.#clearMark(db, 'plaintextLeft');
      }
      if (keyring.devicesLeft) {
        await copyToDeviceStores(db, records, DEVICE_STORES, FIRST_DEVICE);
        await Store.#clearMark(db, 'devicesLeft');
      }
    } catch (e) {
      db.close();
      throw e;
    }
    return new Store(db, records);
  }

  /** Sets one mark of the keyring record to false, leaving the rest (another mark, the key) as it is now. */
  static #clearMark(db, mark) {
    const t = db.transaction(KEYRING, 'readwrite', { durability: 'strict' });
    const keyring = t.objectStore(KEYRING);
    const current = keyring.get(STORAGE_KEY);
    current.onsuccess = () => keyring.put({ ...current.result, [mark]: false });
    return committed(t);
  }

  #records;
  #turn = Promise.resolve();

  constructor(db, records) {
    this.db = db;
    this.#records = records;
  }

  /**
   * Runs `step` once every transaction called for before it has been opened; `step` opens its own and returns
   * {done: a promise of its outcome}, so the next one waits for the opening only, not for the outcome.
   */
  #inTurn(step) {
    const opened = this.#turn.then(step);
    this.#turn = opened.catch(() => {});
    return opened.then((r) => r.done);
  }

  /**
   * Runs `work(stores)` and writes what it asked for in one transaction over the named stores; resolves, with
   * what `work` returned, once that transaction committed. `work` runs synchronously and may only call
   * `stores[name].put(value)` and `stores[name].delete(key)` (all that callers need): puts are copied and checked
   * at the call, sealed after `work` returns, and written with the deletes, in call order, only if every one of
   * them sealed. If `work` throws, nothing is written.
   */
  tx(names, mode, work) {
    const writes = [];
    const put = (name, value) => {
      checkDevice(name, value);
      writes.push({ name, sealing: this.#records.seal(name, value) });
    };
    const stores = Object.fromEntries(
      names.map((name) => [
        name,
        {
          put: (value) => put(name, value),
          delete: (key) => writes.push({ name, key }),
        },
      ]),
    );
    let result;
    try {
      result = work(stores);
    } catch (e) {
      writes.forEach((w) => w.sealing?.catch(() => {}));
      return Promise.reject(e);
    }
    const sealed = Promise.all(writes.map((w) => w.sealing));
    return this.#inTurn(async () => ({
      done: this.#commit(names, mode, writes, await sealed),
    })).then(() => result);
  }

  #commit(names, mode, writes, sealed) {
    const t = this.db.transaction(names, mode, { durability: 'strict' });
    const done = committed(t);
    try {
      writes.forEach((w, i) => {
        const store = t.objectStore(w.name);
        if (w.sealing) {
          store.put(sealed[i]);
        } else {
          store.delete(w.key);
        }
      });
    } catch (e) {
      done.catch(() => {});
      t.abort();
      return Promise.reject(e);
    }
    return done;
  }

  /** The raw records a request made in its turn returns. */
  #read(store, request) {
    return this.#inTurn(() => ({
      done: promised(request(this.db.transaction(store).objectStore(store))),
    }));
  }

  /** The record, or undefined; StoredDataDamaged if it does not decrypt. */
  async get(store, key) {
    const stored = await this.#read(store, (s) => s.get(key));
    return stored === undefined ? undefined : this.#records.open(store, stored);
  }

  /** The records in the range, in key order; StoredDataDamaged if any one does not decrypt. */
  async getAll(store, range, index) {
    const stored = await this.#read(store, (s) => (index ? s.index(index) : s).getAll(range));
    return Promise.all(stored.map((r) => this.#records.open(store, r)));
  }

  put(store, value) {
    return this.tx([store], 'readwrite', (s) => {
      s[store].put(value);
    });
  }

  delete(store, key) {
    return this.tx([store], 'readwrite', (s) => {
      s[store].delete(key);
    });
  }

  /** Everything of one owner in a store keyed [owner, ...]. */
  ownedBy(store, owner) {
    return this.getAll(store, IDBKeyRange.bound([owner], [owner, []]));
  }

  // --- per device (version 3) -------------------------------------------------------------------------------------

  /** The session record {owner, peer, device, record} with one device of `peer`, or undefined. */
  deviceSession(owner, peer, device) {
    return this.get('deviceSessions', deviceSessionKey(owner, peer, device));
  }

  /** Saves the session record (ratchet state) with one device of `peer`. */
  putDeviceSession(owner, peer, device, record) {
    return this.put('deviceSessions', { owner, peer, device, record });
  }

  deleteDeviceSession(owner, peer, device) {
    return this.delete('deviceSessions', deviceSessionKey(owner, peer, device));
  }

  /** Every session record with a device of `peer`, in device order (to find and delete removed devices'). */
  deviceSessionsOf(owner, peer) {
    return this.getAll('deviceSessions', IDBKeyRange.bound([owner, peer], [owner, peer, []]));
  }

  /** True if the message `id` from this device of `from` was handled already. */
  async hasSeen(owner, from, device, id) {
    return (await this.get('seenV3', seenKey(owner, from, device, id))) !== undefined;
  }

  /** Remembers that the message `id` from this device of `from` was handled. */
  putSeen(owner, from, device, id) {
    return this.put('seenV3', { owner, from, device, id });
  }

  conversation(owner, peer) {
    return this.getAll(
      'messages',
      IDBKeyRange.bound([owner, peer, -Infinity], [owner, peer, Infinity]),
      'byConversation',
    );
  }

  outbox(owner) {
    return this.getAll(
      'outbox',
      IDBKeyRange.bound([owner, -Infinity], [owner, Infinity]),
      'byOwner',
    );
  }

  async meta(key) {
    return (await this.get('meta', key))?.value;
  }

  setMeta(key, value) {
    return this.put('meta', { key, value });
  }
}

/** The `peer` of a group's messages: '#' and the group id, which no username can be. */
export const groupPeer = (id) => '#' + id;

/** Keys of the messages store: outgoing by our id, incoming by (sender, their id). */
export const outKey = (id) => 'out/' + id;
export const inKey = (from, id) => 'in/' + from + '/' + id;
