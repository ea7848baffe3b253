// Keeps this user's prekeys available on the server: tops up one-time prekeys when the pool runs low and rotates
// the signed prekey weekly (keeping the last few for messages still queued), and looks them up for X3DH.
import {
  isCurrentSignedPreKey,
  KEPT_SIGNED_PREKEYS,
  newOneTimePreKeys,
  newSignedPreKey,
  oneTimePreKeyJson,
  PREKEY_BATCH,
  PREKEY_LOW_WATER,
  SIGNED_PREKEY_LIFETIME_MS,
  signedPreKeyJson,
} from './keys.js';

export async function maintainPreKeys(store, api, account) {
  const { count } = await api.oneTimePreKeyCount(account.token);
  if (count < PREKEY_LOW_WATER) {
    const keys = await newOneTimePreKeys(account, PREKEY_BATCH);
    await store.tx(['accounts', 'oneTimePreKeys'], 'readwrite', (s) => {
      s.accounts.put(account);
      keys.forEach((k) => s.oneTimePreKeys.put(k));
    });
    await api.uploadOneTimePreKeys(account.token, keys.map(oneTimePreKeyJson));
  }
  const newest = account.signedPreKeys[account.signedPreKeys.length - 1];
  if (newest.createdAt + SIGNED_PREKEY_LIFETIME_MS < Date.now() || !isCurrentSignedPreKey(newest)) {
    const rotated = await newSignedPreKey(account);
    account.signedPreKeys = [...account.signedPreKeys, rotated].slice(-KEPT_SIGNED_PREKEYS);
    await store.put('accounts', account);
    await api.rotateSignedPreKey(account.token, signedPreKeyJson(rotated));
  }
}

/** What x3dh.respond asks for: key pairs by (BigInt) id, or null. */
export function preKeyLookup(store, account) {
  const safe = (id) => (id <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(id) : null);
  return {
    signedPreKey: (id) => account.signedPreKeys.find((k) => k.keyId === safe(id)) || null,
    oneTimePreKey: async (id) =>
      safe(id) === null
        ? null
        : (await store.get('oneTimePreKeys', [account.username, safe(id)])) || null,
  };
}
