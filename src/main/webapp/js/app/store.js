// The browser profile in IndexedDB: accounts (with their private keys as non-extractable CryptoKeys), one-time
// prekeys, pinned contacts, session records (ratchet state), messages, the outbox and the ids of messages already
// handled. Several stores change in one transaction, so nothing is half-saved.
//
// Every record is sealed (sealed-records.js): only the fields in CLEAR_FIELDS, which IndexedDB needs for its keys
// and indexes, stay readable; the rest is encrypted under the storage key in the `keyring` store. CryptoKeys stay
// beside the blob as they are: script cannot read their bytes, so it cannot seal them, and a dump cannot read
// them either. Callers see plain values. WebCrypto is asynchronous and a transaction commits as soon as it has no
// request pending, so a write seals every value first and only then opens its transaction; reads decrypt after
// theirs completed. Transactions are opened in the order the calls were made, so a read sees every write called
// before it.
import { SealedRecords, StoredDataDamaged, isStorageKey, newStorageKey } from './sealed-records.js';
import { sealPlaintextRecords } from './store-migration.js';

const NAME = 'securecom';
const VERSION = 2; // 2: records sealed, the storage key in `keyring`

/**
 * What stays in clear in each store: its key path and the fields of its indexes. Everything else of a record
 * (message text, the contact's lastText preview, ratchet keys, the bearer token, notes) is sealed.
 */
export const CLEAR_FIELDS = Object.freeze({
  meta: ['key'],
  accounts: ['username'],
  oneTimePreKeys: ['owner', 'keyId'],
  contacts: ['owner', 'peer'],
  sessions: ['owner', 'peer'],
  messages: ['owner', 'key', 'peer', 'at'],
  outbox: ['owner', 'id', 'at'],
  seen: ['owner', 'from', 'id'],
});

const KEYRING = 'keyring';
const STORAGE_KEY = 'records';

function upgrade(db, oldVersion, storageKey) {
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
    });
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
    request.onupgradeneeded = (e) => upgrade(request.result, e.oldVersion, storageKey);
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
   * Opens (creating or upgrading) the profile. Records left in plaintext by version 1 are sealed now, in one
   * pass that can be interrupted and run again (store-migration.js). StoredDataDamaged if the storage key is
   * missing or not a non-extractable AES-256-GCM key.
   */
  static async open(name = NAME) {
    const db = await openDatabase(name, await newStorageKey()); // the new key is kept only by a first open
    const keyring = await promised(db.transaction(KEYRING).objectStore(KEYRING).get(STORAGE_KEY));
    if (!isStorageKey(keyring?.key)) {
      db.close();
      throw new StoredDataDamaged();
    }
    const records = new SealedRecords(keyring.key, CLEAR_FIELDS);
    if (keyring.plaintextLeft) {
      await sealPlaintextRecords(db, records, Object.keys(CLEAR_FIELDS));
      const t = db.transaction(KEYRING, 'readwrite', { durability: 'strict' });
      t.objectStore(KEYRING).put({ ...keyring, plaintextLeft: false });
      await committed(t);
    }
    return new Store(db, records);
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
    const stores = Object.fromEntries(
      names.map((name) => [
        name,
        {
          put: (value) => {
            writes.push({ name, sealing: this.#records.seal(name, value) });
          },
          delete: (key) => {
            writes.push({ name, key });
          },
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

/** Keys of the messages store: outgoing by our id, incoming by (sender, their id). */
export const outKey = (id) => 'out/' + id;
export const inKey = (from, id) => 'in/' + from + '/' + id;
