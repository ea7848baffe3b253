// The browser profile in IndexedDB: accounts (with their private keys as non-extractable CryptoKeys), one-time
// prekeys, pinned contacts, session records (ratchet state: derived keys as raw bytes), messages, the outbox and
// the ids of messages already handled. Several stores change in one transaction, so nothing is half-saved.

const NAME = 'securecom';
const VERSION = 1;

function upgrade(db) {
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

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export class Store {
  static async open(name = NAME) {
    const request = indexedDB.open(name, VERSION);
    request.onupgradeneeded = () => upgrade(request.result);
    return new Store(await promised(request));
  }

  constructor(db) {
    this.db = db;
  }

  /**
   * Runs `work(stores)` in one transaction over the named stores and resolves, with what `work` returned, once
   * the transaction committed. `work` must only issue requests (no awaiting other things inside a transaction).
   */
  tx(names, mode, work) {
    return new Promise((resolve, reject) => {
      const t = this.db.transaction(names, mode, { durability: 'strict' });
      const stores = Object.fromEntries(names.map((n) => [n, t.objectStore(n)]));
      let result;
      t.oncomplete = () => resolve(result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error || new Error('transaction aborted'));
      try {
        result = work(stores);
      } catch (e) {
        t.abort();
        reject(e);
      }
    });
  }

  get(store, key) {
    return promised(this.db.transaction(store).objectStore(store).get(key));
  }

  getAll(store, range, index) {
    const s = this.db.transaction(store).objectStore(store);
    return promised((index ? s.index(index) : s).getAll(range));
  }

  put(store, value) {
    return this.tx([store], 'readwrite', (s) => { s[store].put(value); });
  }

  delete(store, key) {
    return this.tx([store], 'readwrite', (s) => { s[store].delete(key); });
  }

  /** Everything of one owner in a store keyed [owner, ...]. */
  ownedBy(store, owner) {
    return this.getAll(store, IDBKeyRange.bound([owner], [owner, []]));
  }

  conversation(owner, peer) {
    return this.getAll('messages', IDBKeyRange.bound([owner, peer, -Infinity], [owner, peer, Infinity]),
      'byConversation');
  }

  outbox(owner) {
    return this.getAll('outbox', IDBKeyRange.bound([owner, -Infinity], [owner, Infinity]), 'byOwner');
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
