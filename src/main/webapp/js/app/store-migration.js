// The passes that bring an older profile up to date after the database opened (an upgrade transaction cannot
// await WebCrypto). The caller keeps a mark in the keyring for each until it has been through (store.js).
//
// Version 1 to 2: seals the plaintext records, store by store in batches. Each batch is read, sealed, then written
// in a transaction that looks at every record again and replaces it only if it is still plaintext, so the pass can
// be interrupted and run again, or run by two tabs at once, without ever overwriting a record sealed meanwhile.
//
// Version 2 to 3: moves the records of `sessions` and `seen` to `deviceSessions` and `seenV3` as device 1, in
// batches from the start of the old store. Each batch is opened, given its device, sealed for the new store, then
// written in a transaction over both stores that copies a record only if it is still in the old store, and deletes
// it there in the same transaction. So a record is in exactly one of the two stores at every commit: an interrupted
// pass resumes with what is left, and a second tab copying at the same time never writes an old copy over a
// session this tab's app already advanced (the old record is gone by then).
import { SealedRecords } from './sealed-records.js';

const BATCH = 200;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error || new Error('transaction aborted'));
  });
}

/** Up to BATCH {key, value} after primary key `after` (from the start if null). */
async function readBatch(db, name, after) {
  const store = db.transaction(name).objectStore(name);
  const range = after === null ? null : IDBKeyRange.lowerBound(after, true);
  const [keys, values] = await Promise.all([
    promised(store.getAllKeys(range, BATCH)),
    promised(store.getAll(range, BATCH)),
  ]);
  return keys.map((key, i) => ({ key, value: values[i] }));
}

function replacePlaintext(db, name, sealed) {
  const t = db.transaction(name, 'readwrite', { durability: 'strict' });
  const store = t.objectStore(name);
  for (const { key, record } of sealed) {
    const current = store.get(key);
    current.onsuccess = () => {
      if (current.result !== undefined && !SealedRecords.isSealed(current.result)) {
        store.put(record);
      }
    };
  }
  return done(t);
}

/** Seals every record of `names` that is not sealed yet. */
export async function sealPlaintextRecords(db, records, names) {
  for (const name of names) {
    let after = null;
    for (;;) {
      const batch = await readBatch(db, name, after);
      if (!batch.length) {
        break;
      }
      const plain = batch.filter((r) => !SealedRecords.isSealed(r.value));
      const sealed = await Promise.all(
        plain.map(async (r) => ({ key: r.key, record: await records.seal(name, r.value) })),
      );
      if (sealed.length) {
        await replacePlaintext(db, name, sealed);
      }
      after = batch[batch.length - 1].key;
    }
  }
}

/** Up to BATCH stored records from the start of `name`, {key, value}. */
function firstBatch(db, name) {
  return readBatch(db, name, null);
}

function moveStillThere(db, from, to, moved) {
  const t = db.transaction([from, to], 'readwrite', { durability: 'strict' });
  const old = t.objectStore(from);
  const target = t.objectStore(to);
  for (const { key, record } of moved) {
    const current = old.get(key);
    current.onsuccess = () => {
      if (current.result !== undefined) {
        target.put(record);
        old.delete(key);
      }
    };
  }
  return done(t);
}

/**
 * Moves every record of each old store in `stores` ({old: new}) to its new store, with `device` added to the
 * record (a field of the new key). StoredDataDamaged if an old record does not open: nothing of its batch moves.
 */
export async function copyToDeviceStores(db, records, stores, device) {
  for (const [from, to] of Object.entries(stores)) {
    for (;;) {
      const batch = await firstBatch(db, from);
      if (!batch.length) {
        break;
      }
      const moved = await Promise.all(
        batch.map(async (r) => ({
          key: r.key,
          record: await records.seal(to, { ...(await records.open(from, r.value)), device }),
        })),
      );
      await moveStillThere(db, from, to, moved);
    }
  }
}
