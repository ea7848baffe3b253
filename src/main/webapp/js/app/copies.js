// One envelope per device (docs/protocol.md, "Version 4", "Sending to a device set"; Java: CopyMaker): each copy is
// encrypted on the newest session with that device bound to the pinned identity, its payload naming this device and
// the recipient device (`fromDevice`, `toDevice`). A device without such a session gets one from its bundle, which
// must carry the pinned identity and a signed prekey signed for that very device (x3dh.verifyBundle). Records are
// read from the store and kept in a Map until the caller saves them with the message in one transaction.
import { base64 } from '../lib/bytes.js';
import { FIRST_DEVICE } from '../lib/device-ids.js';
import * as session from '../e2e/session.js';
import { isFresh, UntrustedBundle } from '../e2e/x3dh.js';
import { bundleFromJson, bundlesFromJson, sameIdentity, UntrustedIdentity } from './identities.js';
import { freshKeys, localIdentity } from './keys.js';

/** The key of a device in a record Map. */
export const deviceKey = (peer, device) => peer + '\n' + device;

export class Copies {
  /** `m` is the Messenger: its store, api, account and owner. */
  constructor(m) {
    this.m = m;
    /** deviceKey -> record, read or changed in this operation. */
    this.records = new Map();
    /** The keys of the records changed: `save` writes them. */
    this.changed = new Set();
  }

  /** Sets the record of `device` of `peer` (one the caller changed, say by decrypting on it). */
  set(peer, device, record) {
    const key = deviceKey(peer, device);
    this.records.set(key, record);
    this.changed.add(key);
  }

  /** The ratchet record of `device` of `peer` (empty if none). */
  async record(peer, device) {
    const key = deviceKey(peer, device);
    if (!this.records.has(key)) {
      const stored = await this.m.store.deviceSession(this.m.owner, peer, device);
      this.records.set(key, stored?.record || session.emptyRecord());
    }
    return this.records.get(key);
  }

  /** True if `device` of `peer` has a session bound to `pin` to send on. */
  async canSend(peer, device, pin) {
    return !!session.current(await this.record(peer, device), pin);
  }

  /**
   * Starts a session from the registry's bundles with each of `devices` of `peer` that has none bound to `pin`.
   * UntrustedIdentity if a bundle is not the pin's ('notPin'), does not verify for its device ('unverifiable') or its
   * signed prekey is stale ('stale'). `legacy`: `peer` has no list, so device 1's bundle is asked for as before.
   */
  async start(peer, pin, devices, legacy) {
    const missing = [];
    for (const device of devices) {
      if (!(await this.canSend(peer, device, pin))) {
        missing.push(device);
      }
    }
    if (missing.length === 0) {
      return;
    }
    const token = this.m.account.token;
    const bundles =
      legacy && missing.length === 1 && missing[0] === FIRST_DEVICE
        ? [bundleFromJson(peer, await this.m.api.bundle(token, peer))]
        : bundlesFromJson(peer, await this.m.api.bundles(token, peer, missing), missing);
    const now = Math.floor(Date.now() / 1000);
    for (const bundle of bundles) {
      if (!sameIdentity(pin, bundle)) {
        throw new UntrustedIdentity(peer, 'notPin');
      }
      let record;
      try {
        record = await session.initiate(
          await this.record(peer, bundle.deviceId),
          localIdentity(this.m.account),
          this.m.owner,
          bundle,
          freshKeys,
        );
      } catch (e) {
        throw e instanceof UntrustedBundle ? new UntrustedIdentity(peer, 'unverifiable') : e;
      }
      if (!isFresh(bundle, now)) {
        throw new UntrustedIdentity(peer, 'stale'); // the new session is not kept
      }
      this.set(peer, bundle.deviceId, record);
    }
  }

  /** The copy of `payload` for `device` of `peer` on its session with `pin`: {to, device, envelope}. */
  async encrypt(peer, device, pin, payload) {
    const sealed = await session.encrypt(await this.record(peer, device), pin, {
      ...payload,
      fromDevice: this.m.deviceId,
      toDevice: device,
    });
    this.set(peer, device, sealed.record);
    return { to: peer, device, envelope: base64(sealed.envelope) };
  }

  /** Within a store transaction `s` (with `deviceSessions`): writes every record changed. */
  save(s) {
    for (const key of this.changed) {
      const [peer, device] = key.split('\n');
      s.deviceSessions.put({
        owner: this.m.owner,
        peer,
        device: Number(device),
        record: this.records.get(key),
      });
    }
  }
}
