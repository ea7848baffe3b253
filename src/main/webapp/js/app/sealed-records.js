// Records as IndexedDB keeps them: the fields it needs for keys and indexes in clear, everything else in one
// AES-256-GCM blob under the profile's storage key, a non-extractable CryptoKey kept in IndexedDB itself.
//
// What the blob guarantees: its contents are confidential, and the whole record is authenticated: the associated
// data binds the store's name and the record's clear fields (its primary key among them), so a blob cannot be moved
// to another record or store, nor a clear field changed. CryptoKeys inside a value stay beside the blob as they are
// (script cannot read their bytes; record-codec.js); the blob records which ones, in which places, and open()
// checks that they are there, non-extractable, of the same algorithm, type and usages. Nothing here stops someone
// who can write the profile from deleting records or putting back an older copy of the whole database.
//
// Stored form: {...clear fields, sealed: version 0x01 || 12-byte IV || ciphertext || 16-byte tag, cryptoKeys?}.
// Every seal draws a fresh random 96-bit IV. NIST SP 800-38D (section 8.3) caps random IVs at 2^32 encryptions
// under one key (IV collision chance then below 2^-32); a heavy user writes a few million records a year, which
// keeps one key good for over a thousand years.
import { ascii, concat, u8, utf8 } from '../lib/bytes.js';
import { aesGcmOpen, aesGcmSeal, newAesGcmKey, randomBytes } from '../lib/crypto.js';
import { decode, encode } from './record-codec.js';

const FORMAT = 1;
const IV_BYTES = 12;
const LABEL = ascii('SecureCom stored record v1');
const SEALED = 'sealed';
const CRYPTO_KEYS = 'cryptoKeys';

/** A stored record did not decrypt or verify: the profile was changed or damaged outside this page. */
export class StoredDataDamaged extends Error {
  constructor() {
    super(
      'Data stored in this browser could not be decrypted: it was changed or damaged outside SecureCom.' +
        ' Nothing was written.',
    );
    this.name = 'StoredDataDamaged';
  }
}

/** A new storage key: AES-256-GCM, generated non-extractable (its bytes never reach script). */
export function newStorageKey() {
  return newAesGcmKey();
}

/** True for a non-extractable AES-256-GCM key that can encrypt and decrypt. */
export function isStorageKey(key) {
  return (
    key instanceof CryptoKey &&
    !key.extractable &&
    key.type === 'secret' &&
    key.algorithm.name === 'AES-GCM' &&
    key.algorithm.length === 256 &&
    key.usages.includes('encrypt') &&
    key.usages.includes('decrypt')
  );
}

export class SealedRecords {
  /** `clearFields`: for each store that is sealed, the fields that stay in clear. */
  constructor(key, clearFields) {
    if (!isStorageKey(key)) {
      throw new StoredDataDamaged();
    }
    this.key = key;
    this.clearFields = clearFields;
  }

  fields(store) {
    const fields = this.clearFields[store];
    if (!fields) {
      throw new Error('no sealed store called ' + store);
    }
    return fields;
  }

  /** True if `stored` is in sealed form (not that it opens). */
  static isSealed(stored) {
    return stored?.[SEALED] instanceof Uint8Array;
  }

  associatedData(store, clear) {
    return concat(LABEL, u8(0), utf8(store), u8(0), encode(clear).bytes);
  }

  /**
   * The stored form of `value`, a promise. The value is copied and checked now (TypeError, thrown here, for what
   * cannot be stored), so later changes to it do not matter; only the encryption is asynchronous.
   */
  seal(store, value) {
    if (value === null || typeof value !== 'object' || SealedRecords.isSealed(value)) {
      throw new TypeError('a stored record is an object');
    }
    const clear = {};
    const rest = { ...value };
    for (const field of this.fields(store)) {
      if (field in rest) {
        clear[field] = rest[field];
        delete rest[field];
      }
    }
    const { bytes, cryptoKeys } = encode(rest);
    const ad = this.associatedData(store, clear); // throws if a clear field is not plain data
    const iv = randomBytes(IV_BYTES);
    return aesGcmSeal(this.key, iv, bytes, ad).then((ciphertext) => ({
      ...clear,
      [SEALED]: concat(u8(FORMAT), iv, ciphertext),
      ...(cryptoKeys.length ? { [CRYPTO_KEYS]: cryptoKeys } : {}),
    }));
  }

  /** The value sealed into `stored`; StoredDataDamaged if it does not open or has anything it should not. */
  async open(store, stored) {
    const fields = this.fields(store);
    const blob = stored?.[SEALED];
    const cryptoKeys = stored?.[CRYPTO_KEYS] ?? [];
    if (
      !SealedRecords.isSealed(stored) ||
      blob.length < 1 + IV_BYTES + 16 ||
      blob[0] !== FORMAT ||
      !Array.isArray(cryptoKeys) ||
      Object.keys(stored).some((k) => k !== SEALED && k !== CRYPTO_KEYS && !fields.includes(k))
    ) {
      throw new StoredDataDamaged();
    }
    const clear = Object.fromEntries(fields.filter((f) => f in stored).map((f) => [f, stored[f]]));
    try {
      const plaintext = await aesGcmOpen(
        this.key,
        blob.subarray(1, 1 + IV_BYTES),
        blob.subarray(1 + IV_BYTES),
        this.associatedData(store, clear),
      );
      return { ...clear, ...decode(plaintext, cryptoKeys) };
    } catch {
      throw new StoredDataDamaged();
    }
  }
}
