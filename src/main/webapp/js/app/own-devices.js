// This account's own devices as the user manages them in the browser (docs/protocol.md, "Device lists", "Linking a
// device": "The existing device's steps"; docs/design/linked-devices.md, "Removal"; Java: OwnDevices, DeviceLinking,
// LinkDeviceCommand, RemoveDeviceCommand). Every step that depends on the account's devices first fetches the list
// the server serves and judges it against the pin (Messenger.refreshOwnList), and works on the pin only: which
// devices are shown as the account's, which a removal keeps and which a link adds to, come from a list the identity
// key signed, never from what the server says. A link code is read and checked before anything is sent.
import { base64 } from '../lib/bytes.js';
import { DecryptionFailed } from '../lib/crypto.js';
import { FIRST_DEVICE, isDeviceId } from '../lib/device-ids.js';
import { deviceIds, isSuccessor, MAX_ENTRIES, signList } from '../e2e/devices.js';
import {
  isExpired,
  LinkCodeRefused,
  MAX_MESSAGE_BYTES,
  PROVISIONING_BLOCK,
  readLinkCode,
  sealProvisioning,
} from '../e2e/link.js';
import { ApiError } from './api.js';
import { pinnedList } from './device-pins.js';
import { canLinkDevices, freshKeys, identityForProvisioning } from './keys.js';

/** What the user confirms before anything is sent (docs/protocol.md, "The link code"). */
export const LINK_CONFIRMATION =
  'The device showing this code will read all your future messages and can act as you. Link it?';
/** The most contacts a provisioning message carries (Java: Provisioning.MAX_CONTACTS). */
export const MAX_CONTACTS = 1000;
/** How often the own list is fetched while the new device finishes (also after each 'devices' event). */
export const POLL_MS = 2000;
/** How long after the code's expiry the new device may still finish. */
export const FINISH_SECONDS = 60;

/** A device action refused or failed; the message is for the user, as docs/protocol.md words it. */
export class DeviceActionFailed extends Error {
  constructor(message) {
    super(message);
    this.name = 'DeviceActionFailed';
  }
}

const CODE_REFUSALS = {
  unreadable: 'this is not a link code; check for a typo',
  checksum: 'this is not a link code; check for a typo',
  version: 'this link code was made by a newer SecureCom; update this one',
  key: 'this is not a link code',
};

const UNTRUSTED_LIST =
  'the server presents a device list for your account that your identity key did not sign';

const twoDigits = (n) => String(n).padStart(2, '0');

/** HH:MM of `seconds` since the epoch, in the browser's time zone. */
export function clockTime(seconds) {
  const at = new Date(seconds * 1000);
  return twoDigits(at.getHours()) + ':' + twoDigits(at.getMinutes());
}

/**
 * Step 1 without the user: the code as typed, pasted or scanned, read and checked in the documented order
 * (readable, checksum, version, key, then not expired), before any network call. DeviceActionFailed with what the
 * user is told otherwise.
 */
export async function checkLinkCode(text, nowSeconds = Date.now() / 1000) {
  let code;
  try {
    code = await readLinkCode(text);
  } catch (e) {
    if (e instanceof LinkCodeRefused) {
      throw new DeviceActionFailed(CODE_REFUSALS[e.reason]);
    }
    throw e;
  }
  if (isExpired(code, nowSeconds)) {
    throw new DeviceActionFailed(
      `this link code expired at ${clockTime(code.expiresAt)}; ask the new device for a new one`,
    );
  }
  return code;
}

/** The bytes a provisioning message of `plaintextBytes` takes (header, padding to 1,024, tag). */
export function provisioningSize(username, plaintextBytes) {
  const header = 1 + 32 + 4 + 4 + 1 + username.length;
  return header + (Math.floor(plaintextBytes / PROVISIONING_BLOCK) + 1) * PROVISIONING_BLOCK + 16;
}

const listJson = (signed) => ({ body: base64(signed.body), signature: base64(signed.signature) });

/** A contact's pin as the provisioning message carries it (docs/protocol.md, "The provisioning message"). */
function contactJson(contact) {
  return {
    username: contact.peer,
    identityKey: base64(contact.identityKey),
    identityDhKey: {
      publicKey: base64(contact.identityDhKey),
      signature: base64(contact.identityDhSignature),
    },
    verified: contact.verified === true,
    ...(contact.deviceList ? { deviceList: listJson(contact.deviceList) } : {}),
  };
}

/**
 * The provisioning plaintext (compact UTF-8 JSON) with the first `count` of `contacts`. `identity` is
 * identityForProvisioning's, `signed` the new list, `serverKey` the pinned server key's 32 bytes.
 */
export function provisioningPlaintext({ identity, signed, ticket, serverKey, contacts }, count) {
  return new TextEncoder().encode(
    JSON.stringify({
      type: 'provision',
      version: 1,
      identity: {
        signingKey: base64(identity.signingKey),
        dhPrivateKey: base64(identity.dhPrivateKey),
        dhSignature: base64(identity.dhSignature),
      },
      deviceList: listJson(signed),
      ticket,
      serverKey: base64(serverKey),
      contacts: contacts.slice(0, count).map(contactJson),
    }),
  );
}

/**
 * The plaintext with as many contacts as fit a mailbox (the oldest pins first, so the newest are left out), and
 * how many were left out: {plaintext, leftOut}.
 */
export function fittedPlaintext(username, grant) {
  const fits = (count) =>
    provisioningSize(username, provisioningPlaintext(grant, count).length) <= MAX_MESSAGE_BYTES;
  let count = grant.contacts.length;
  if (!fits(count)) {
    let low = 0; // fits (checked below)
    let high = count; // does not
    if (!fits(0)) {
      throw new DeviceActionFailed('the link message does not fit a mailbox even without contacts');
    }
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (fits(middle)) {
        low = middle;
      } else {
        high = middle;
      }
    }
    count = low;
  }
  return { plaintext: provisioningPlaintext(grant, count), leftOut: grant.contacts.length - count };
}

const refusedBy = (e, status, code) =>
  e instanceof ApiError && e.status === status && (!code || e.code === code);

/**
 * The devices of one logged-in browser's account: `messenger` (its api, account, store, serial queue, pin and
 * events) and the server key this browser pinned ({publicKey}).
 */
export class OwnDevices {
  constructor(messenger, serverKey) {
    this.messenger = messenger;
    this.serverKey = serverKey;
  }

  get account() {
    return this.messenger.account;
  }

  /** True if this browser holds the identity's private keys as bytes (accounts made since linked devices). */
  canLink() {
    return canLinkDevices(this.account);
  }

  /**
   * Fetches and judges the own list within the messenger's queue; {verdict, list} with the pin as it is after that
   * (list null: legacy). DeviceActionFailed if the served list is one the browser does not pin (it may still show
   * the pin), or if this browser is no longer in the pin.
   */
  async judged(action) {
    const m = this.messenger;
    const verdict = await m.refreshOwnList(true);
    const list = pinnedList(this.account.ownDeviceList);
    if (verdict && verdict.verdict !== 'accepted' && verdict.verdict !== 'unchanged') {
      throw new DeviceActionFailed(`${UNTRUSTED_LIST} (${verdict.verdict}); ${action}`);
    }
    if (!deviceIds(list).includes(m.deviceId)) {
      throw new DeviceActionFailed('this browser was removed from your account');
    }
    return { verdict, list };
  }

  /**
   * The account's devices: {thisDevice, devices, unsigned, refused}. `devices` are the pinned list's, by id, each
   * {id, thisDevice, createdAt (ms, as the signed list says; for a legacy account's device 1 as the server says),
   * lastSeenAt (ms or null: never; undefined: not reported), queued, name} with the server's word on the last three
   * (null if it did not report the device); `unsigned` the ids the server reports that the pin does not name;
   * `refused` the verdict if the served list was not pinned (the pin is shown).
   */
  async list() {
    const m = this.messenger;
    const verdict = await m.serial(() => m.refreshOwnList(true));
    const served = await m.api.ownDevices(this.account.token);
    const pinned = pinnedList(this.account.ownDeviceList);
    const rows = new Map();
    for (const row of Array.isArray(served?.devices) ? served.devices : []) {
      if (isDeviceId(row?.deviceId) && !rows.has(row.deviceId)) {
        rows.set(row.deviceId, row);
      }
    }
    const time = (text) => {
      const at = typeof text === 'string' ? Date.parse(text) : NaN;
      return Number.isFinite(at) ? at : null;
    };
    const devices = deviceIds(pinned).map((id) => {
      const row = rows.get(id);
      rows.delete(id);
      const entry = pinned?.entries.find((e) => e.deviceId === id);
      return {
        id,
        thisDevice: id === m.deviceId,
        createdAt: entry ? entry.createdAt * 1000 : time(row?.createdAt),
        lastSeenAt: row ? time(row.lastSeenAt) : undefined,
        queued: Number.isSafeInteger(row?.queued) ? row.queued : null,
        name: typeof row?.name === 'string' ? row.name : null,
      };
    });
    const refused =
      verdict && verdict.verdict !== 'accepted' && verdict.verdict !== 'unchanged'
        ? verdict.verdict
        : null;
    return {
      thisDevice: m.deviceId,
      devices,
      unsigned: [...rows.keys()].sort((a, b) => a - b),
      refused,
    };
  }

  /**
   * Links the device showing `code` (checkLinkCode's; the user confirmed): the existing device's steps 2 to 6.
   * `progress(text)` is told what happens. Returns {deviceId, contactsLeftOut} once the own list, judged, holds the
   * new device; DeviceActionFailed with the documented text otherwise.
   */
  async link(code, progress = () => {}) {
    const m = this.messenger;
    const identity = await identityForProvisioning(this.account); // before any request: old accounts cannot
    progress('Checking your devices…');
    const { deviceId, leftOut } = await m.serial(async () => {
      const { list } = await this.judged('not linking'); // step 2
      const now = Math.floor(Date.now() / 1000);
      const entries = list
        ? list.entries.map((e) => ({ ...e }))
        : [{ deviceId: FIRST_DEVICE, createdAt: legacyCreatedAt(this.account, now) }];
      const k = (list ? list.lastDeviceId : FIRST_DEVICE) + 1;
      if (entries.length >= MAX_ENTRIES || !isDeviceId(k)) {
        throw new DeviceActionFailed(
          'your account has the most devices it may have; remove one first',
        );
      }
      entries.push({ deviceId: k, createdAt: now });
      const next = {
        username: m.owner,
        identityKey: this.account.identity.signing.publicKey,
        serial: (list ? list.serial : 0) + 1,
        issuedAt: now,
        lastDeviceId: k,
        entries,
      };
      if (!isSuccessor(list, next)) {
        throw new Error('the new list would not follow the pinned one');
      }
      let ticket;
      try {
        ticket = (await m.api.newTicket(this.account.token)).ticket; // step 3
      } catch (e) {
        if (refusedBy(e, 429)) {
          throw new DeviceActionFailed('too many links today; try tomorrow');
        }
        throw e;
      }
      const signed = await signList(next, this.account.identity.signing.privateKey); // step 4, kept in memory
      const contacts = (await m.contacts())
        .filter((c) => !c.pending && c.peer !== m.owner)
        .sort((a, b) => (a.pinnedAt ?? 0) - (b.pinnedAt ?? 0))
        .slice(0, MAX_CONTACTS);
      const grant = { identity, signed, ticket, serverKey: this.serverKey.publicKey, contacts };
      const { plaintext, leftOut } = fittedPlaintext(m.owner, grant);
      let message;
      try {
        message = await sealProvisioning(code, freshKeys, m.deviceId, k, m.owner, plaintext);
      } catch (e) {
        if (e instanceof DecryptionFailed) {
          throw new DeviceActionFailed(CODE_REFUSALS.key); // readLinkCode refuses such keys already
        }
        throw e;
      }
      m.linkedHere.add(k); // its arrival in the own list is this user's doing: no "new device" warning
      try {
        await m.api.putLink(this.account.token, code.mailbox, base64(message)); // step 5
      } catch (e) {
        m.linkedHere.delete(k);
        if (refusedBy(e, 404)) {
          throw new DeviceActionFailed(
            'no device is waiting for this code (mistyped, already used, or expired)',
          );
        }
        if (refusedBy(e, 409)) {
          throw new DeviceActionFailed('this code was used already; nothing was sent');
        }
        throw e;
      }
      return { deviceId: k, leftOut };
    });
    progress(
      'Sent; waiting for the new device to finish…' +
        (leftOut > 0 ? ` ${leftOut} ${contactsWord(leftOut)} did not fit the link message.` : ''),
    );
    if (!(await this.awaitLinked(deviceId, (code.expiresAt + FINISH_SECONDS) * 1000))) {
      throw new DeviceActionFailed(
        'the new device did not finish linking; your devices are unchanged',
      );
    }
    return { deviceId, contactsLeftOut: leftOut };
  }

  /**
   * Step 6: true once the pinned own list holds `deviceId`, judging the served list after each 'devices' event (the
   * messenger judges after devicesChanged) and at least every POLL_MS; false at `deadline` (ms).
   */
  async awaitLinked(deviceId, deadline) {
    const m = this.messenger;
    const linked = () => deviceIds(pinnedList(this.account.ownDeviceList)).includes(deviceId);
    while (!linked()) {
      const left = deadline - Date.now();
      if (left <= 0) {
        return false;
      }
      await new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          m.removeEventListener('devices', done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(POLL_MS, left));
        m.addEventListener('devices', done);
      });
      if (!linked()) {
        try {
          await m.serial(() => m.refreshOwnList(true));
        } catch {
          // offline for a moment: asked again at the next poll
        }
      }
    }
    return true;
  }

  /**
   * Removes device `deviceId` (not this browser's: that is for another device to do): the pinned list without it,
   * the next serial, signed with the identity key, stored with PUT /api/devices/list; built once more on the
   * served list after 409 list_conflict. Then the list is judged (and pinned) again.
   */
  async remove(deviceId) {
    const m = this.messenger;
    if (deviceId === m.deviceId) {
      throw new DeviceActionFailed(
        `device ${deviceId} is this browser; remove it from another of your devices`,
      );
    }
    const attempt = () =>
      m.serial(async () => {
        const { list } = await this.judged('nothing was removed');
        if (!list || !deviceIds(list).includes(deviceId)) {
          throw new DeviceActionFailed(`your account has no device ${deviceId}`);
        }
        const next = {
          ...list,
          serial: list.serial + 1,
          issuedAt: Math.floor(Date.now() / 1000),
          entries: list.entries.filter((e) => e.deviceId !== deviceId).map((e) => ({ ...e })),
        };
        const signed = await signList(next, this.account.identity.signing.privateKey);
        m.removedHere.add(deviceId);
        try {
          await m.api.putDeviceList(this.account.token, listJson(signed));
        } catch (e) {
          m.removedHere.delete(deviceId);
          throw e;
        }
      });
    try {
      try {
        await attempt();
      } catch (e) {
        if (!refusedBy(e, 409, 'list_conflict')) {
          throw e;
        }
        await attempt(); // another list was stored meanwhile: once more, on that one
      }
    } catch (e) {
      if (refusedBy(e, 409, 'list_conflict')) {
        throw new DeviceActionFailed(
          `your devices changed twice while device ${deviceId} was being removed (another device linked or` +
            ' removed one); nothing was removed: try again',
        );
      }
      if (refusedBy(e, 429)) {
        throw new DeviceActionFailed(
          'your devices were changed too often in the last hour; nothing was removed: try again later',
        );
      }
      throw e;
    }
    await m.serial(() => m.refreshOwnList(true));
  }
}

/** A legacy account's device 1 in its first list: since the account was made here (any createdAt is taken). */
function legacyCreatedAt(account, now) {
  const made = Math.floor((account.createdAt ?? 0) / 1000);
  return Number.isSafeInteger(made) && made > 0 && made <= now ? made : now;
}

const contactsWord = (n) => (n === 1 ? 'contact' : 'contacts');
