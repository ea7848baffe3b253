// Seals the plaintext records a version 1 profile left, store by store in batches, after the database opened (an
// upgrade transaction cannot await WebCrypto). Each batch is read, sealed, then written in a transaction that
// looks at every record again and replaces it only if it is still plaintext, so the pass can be interrupted and
// run again, or run by two tabs at once, without ever overwriting a record sealed meanwhile. The caller marks the
// profile done only after every store has been through.
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
