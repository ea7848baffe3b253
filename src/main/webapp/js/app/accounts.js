// Registration, login and logout, and the pinned server key.
import { equal, fromBase64, hex } from '../lib/bytes.js';
import { sha256 } from '../lib/crypto.js';
import { FIRST_DEVICE, isDeviceId } from '../lib/device-ids.js';
import {
  generateIdentity,
  INITIAL_ONE_TIME_PREKEYS,
  newOneTimePreKeys,
  newSignedPreKey,
  registrationBody,
} from './keys.js';

/** The server did not show the key this browser pinned: do not use it. */
export class UntrustedServer extends Error {
  constructor(pinned) {
    super(
      "The server's identity key is not the one this browser pinned (" +
        pinned.fingerprint +
        '). Someone may' +
        ' be impersonating the server. Do not log in; ask the operator.',
    );
    this.name = 'UntrustedServer';
  }
}

/** This browser has no keys for the account. */
export class NoLocalKeys extends Error {
  constructor(username) {
    super(
      `This browser has no keys for ${username}. SecureCom keeps your keys on your devices: log in on one of` +
        ' them, link this browser to the account from there, or register a new account here.',
    );
    this.name = 'NoLocalKeys';
  }
}

/** SHA-256 of the key as lowercase hex in 16 groups of 4 (docs/protocol.md). */
export async function fingerprint(publicKey) {
  return hex(await sha256(publicKey))
    .match(/.{4}/g)
    .join(' ');
}

async function fetchServerKey(api) {
  const shown = await api.serverKey();
  const publicKey = fromBase64(shown.publicKey);
  if (shown.algorithm !== 'Ed25519' || publicKey.length !== 32) {
    throw new Error('The server sent a key this page cannot use.');
  }
  return { publicKey, fingerprint: await fingerprint(publicKey) };
}

/**
 * A new local account record, not registered yet: `identity` as generateIdentity or identityFromPrivateKeys makes
 * it, `deviceId` this browser's device in the account (1 for a registration; the id a link gave), and, for a
 * linked device, `ownDeviceList` the account's signed list it pinned. The caller adds the signed prekey.
 */
export function newAccountRecord(
  username,
  identity,
  { deviceId = FIRST_DEVICE, ownDeviceList } = {},
) {
  if (!isDeviceId(deviceId)) {
    throw new TypeError('not a device id: ' + deviceId);
  }
  return {
    username,
    identity,
    deviceId,
    ...(ownDeviceList ? { ownDeviceList } : {}),
    signedPreKeys: [],
    nextPreKeyId: 1,
    token: null,
    tokenExpiresAt: 0,
    registered: false,
    createdAt: Date.now(),
  };
}

/** This browser's device id in the account (accounts made before linked devices: 1). */
export function deviceIdOf(account) {
  return account.deviceId ?? FIRST_DEVICE;
}

export class Accounts {
  constructor(store, api) {
    this.store = store;
    this.api = api;
  }

  /** The pinned server key {publicKey, fingerprint, pinnedAt}; pinned now (trust on first use) if there is none. */
  async serverKey() {
    const pinned = await this.store.meta('serverKey');
    if (pinned) {
      return pinned;
    }
    const key = { ...(await fetchServerKey(this.api)), pinnedAt: Date.now() };
    await this.store.setMeta('serverKey', key);
    return key;
  }

  /** Refuses to go on if the server now shows another key than the pinned one. */
  async checkServerKey() {
    const pinned = await this.serverKey();
    const shown = await fetchServerKey(this.api);
    if (!equal(shown.publicKey, pinned.publicKey)) {
      throw new UntrustedServer(pinned);
    }
    return pinned;
  }

  account(username) {
    return this.store.get('accounts', username);
  }

  async lastUser() {
    return this.store.meta('lastUser');
  }

  /** Creates the keys (saved before the server sees them), registers the account and logs in. */
  async register(username, password) {
    await this.checkServerKey();
    const existing = await this.account(username);
    if (existing?.registered) {
      throw new Error(`This browser already has an account called ${username}. Log in instead.`);
    }
    if (existing) {
      await this.forget(username); // an earlier registration that never completed
    }
    const account = newAccountRecord(username, await generateIdentity());
    account.signedPreKeys.push(await newSignedPreKey(account));
    const oneTime = await newOneTimePreKeys(account, INITIAL_ONE_TIME_PREKEYS);
    await this.store.tx(['accounts', 'oneTimePreKeys'], 'readwrite', (s) => {
      s.accounts.put(account);
      oneTime.forEach((k) => s.oneTimePreKeys.put(k));
    });
    try {
      await this.api.register(registrationBody(account, password, oneTime));
    } catch (e) {
      await this.forget(username);
      throw e;
    }
    account.registered = true;
    await this.store.put('accounts', account);
    return this.login(username, password);
  }

  /**
   * Logs in with the account's password as this browser's device (a linked browser is not device 1); the token is
   * kept in this browser until logout or expiry.
   */
  async login(username, password) {
    const account = await this.account(username);
    if (!account || !account.registered) {
      throw new NoLocalKeys(username);
    }
    await this.checkServerKey();
    const session = await this.api.login(username, password, deviceIdOf(account));
    account.token = session.token;
    account.tokenExpiresAt = Date.parse(session.expiresAt);
    await this.store.put('accounts', account);
    await this.store.setMeta('lastUser', username);
    return account;
  }

  /** Ends the session on the server (which also closes its connection) and forgets the token here. */
  async logout(username) {
    const account = await this.account(username);
    if (account?.token) {
      try {
        await this.api.logout(account.token);
      } catch {
        // an expired or revoked token is logged out already; an unreachable server forgets it at expiry
      }
      account.token = null;
      account.tokenExpiresAt = 0;
      await this.store.put('accounts', account);
    }
  }

  /** Deletes a local account and its keys (only used when registration failed). */
  async forget(username) {
    const keys = await this.store.ownedBy('oneTimePreKeys', username);
    await this.store.tx(['accounts', 'oneTimePreKeys'], 'readwrite', (s) => {
      s.accounts.delete(username);
      keys.forEach((k) => s.oneTimePreKeys.delete([k.owner, k.keyId]));
    });
  }
}

export function hasValidToken(account) {
  return !!account?.token && account.tokenExpiresAt > Date.now() + 5000;
}
