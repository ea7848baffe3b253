// devices.json and the client's part of fanout.json, checked with js/e2e/devices.js and js/e2e/fanout.js.
import { fromHex, hex, utf8 } from '../js/lib/bytes.js';
import { ed25519Sign, insecureEd25519FromSeed } from '../js/lib/crypto.js';
import {
  DeviceListRefused,
  encodeList,
  isDescendant,
  isSuccessor,
  judgeServedList,
  LABEL,
  NOT_NEWER,
  parseList,
  signedPreKeyVerifies,
  signList,
  UNTRUSTED,
  verifyList,
} from '../js/e2e/devices.js';
import { devicesOf, required, targets } from '../js/e2e/fanout.js';
import {
  SIGNED_PREKEY_V3_LABEL,
  signedPreKeyMessage,
  signedPreKeyMessageV3,
} from '../js/e2e/x3dh.js';
import { same } from './vectors-channel.js';

/** A vector's list fields as a list. */
const listOf = (c) => ({
  username: c.username,
  identityKey: fromHex(c.identityKey),
  serial: c.serial,
  issuedAt: c.issuedAt,
  lastDeviceId: c.lastDeviceId,
  entries: c.entries.map((e) => ({ deviceId: e.deviceId, createdAt: e.createdAt })),
});

/** A vector's {body, signature} in hex as a signed list. */
const signedOf = (json) => json && { body: fromHex(json.body), signature: fromHex(json.signature) };

function sameList(a, b) {
  const plain = (l) => JSON.stringify({ ...l, identityKey: hex(l.identityKey) });
  return plain(a) === plain(b);
}

const sameJson = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** The reason verifyList refuses with, or 'verified'. */
async function refusal(signed, username, identityKey) {
  try {
    await verifyList(signed, username, identityKey);
    return 'verified';
  } catch (e) {
    return e instanceof DeviceListRefused ? e.reason : `${e.name}: ${e.message}`;
  }
}

export async function checkDevices(checks, v) {
  const alice = await insecureEd25519FromSeed(fromHex(v.alice.identityKey.privateKey));
  const mallory = await insecureEd25519FromSeed(fromHex(v.mallory.identityKey.privateKey));
  checks.ok('devices alice identity key', same(alice.publicKey, v.alice.identityKey.publicKey));
  checks.ok(
    'devices mallory identity key',
    same(mallory.publicKey, v.mallory.identityKey.publicKey),
  );
  checks.ok('devices label', same(LABEL, hex(utf8(v.label))));
  checks.ok(
    'devices signed prekey v3 label',
    same(SIGNED_PREKEY_V3_LABEL, hex(utf8(v.signedPreKeyLabel))),
  );
  await checkLists(checks, v, alice);
  await checkRefused(checks, v);
  await checkSuccessors(checks, v, alice.publicKey);
  await checkSignedPreKeys(checks, v, alice);
}

async function checkLists(checks, v, alice) {
  for (const c of v.lists) {
    const name = `devices list ${c.name}`;
    const fields = listOf(c);
    checks.ok(name + ' encodes from its fields', same(encodeList(fields), c.body));
    const signed = await signList(fields, alice.privateKey);
    checks.ok(name + ' signs to its signature', same(signed.signature, c.signature));
    const verified = await verifyList(signedOf(c), c.username, alice.publicKey);
    checks.ok(name + ' verifies and parses to its fields', sameList(verified, fields));
    checks.ok(
      name + ' re-encodes byte for byte',
      same(encodeList(parseList(fromHex(c.body))), c.body),
    );
    checks.ok(
      name + ' is the device set {user, serial, ids}',
      sameJson(devicesOf(c.username, verified), {
        user: c.username,
        serial: c.serial,
        ids: c.entries.map((e) => e.deviceId),
      }),
    );
  }
  const first = signedOf(v.lists[0]);
  const refusedFlips = async (field) => {
    for (let bit = 0; bit < 8 * first[field].length; bit++) {
      const flipped = { ...first, [field]: first[field].slice() };
      flipped[field][bit >> 3] ^= 1 << (bit & 7);
      if ((await refusal(flipped, v.lists[0].username, alice.publicKey)) !== 'badSignature') {
        return false;
      }
    }
    return true;
  };
  checks.ok(
    'devices list with any bit of its body flipped: badSignature',
    await refusedFlips('body'),
  );
  checks.ok(
    'devices list with any bit of its signature flipped: badSignature',
    await refusedFlips('signature'),
  );
  const good = listOf(v.lists[0]);
  for (const [what, change] of [
    ['serial 0', { serial: 0 }],
    ['serial 2^53', { serial: 2 ** 53 }],
    ['a username outside the rule', { username: 'Alice' }],
    ['a 31-byte key', { identityKey: good.identityKey.slice(1) }],
    ['no entry', { entries: [] }],
    ['an id above lastDeviceId', { entries: [{ deviceId: 2, createdAt: 0 }] }],
  ]) {
    await checks.throws(`devices encodeList refuses ${what}`, () =>
      encodeList({ ...good, ...change }),
    );
  }
}

async function checkRefused(checks, v) {
  for (const c of v.refused) {
    const name = `devices refused ${c.name}`;
    const signed = signedOf(c);
    checks.ok(
      `${name}: ${c.reason}`,
      (await refusal(signed, c.username, fromHex(c.identityKey))) === c.reason,
    );
    checks.ok(name + ' means the identity key did not vouch for it', UNTRUSTED.includes(c.reason));
    if (c.reason === 'malformed') {
      await checks.throws(
        name + ' by the parser',
        () => parseList(signed.body),
        'MalformedDeviceList',
      );
    }
  }
}

async function checkSuccessors(checks, v, aliceKey) {
  const username = v.alice.username;
  const verdicts = ['accepted', 'unchanged', ...UNTRUSTED, ...NOT_NEWER];
  for (const c of v.successors) {
    const name = `devices successor ${c.name}`;
    const pinned = c.pinned && (await verifyList(signedOf(c.pinned), username, aliceKey));
    const served = signedOf(c.served);
    const r = await judgeServedList(username, aliceKey, pinned, served);
    checks.ok(`${name}: ${c.verdict}`, r.verdict === c.verdict && verdicts.includes(r.verdict));
    checks.ok(
      name + (c.accept ? ' is accepted' : ' is not accepted'),
      (r.verdict === 'accepted') === c.accept,
    );
    if (r.verdict === 'accepted') {
      checks.ok(name + ' added', sameJson(r.added, c.added));
      checks.ok(name + ' removed', sameJson(r.removed, c.removed));
      checks.ok(name + ' pins the served bytes', r.signed === served);
      checks.ok(name + ' is a descendant', isDescendant(pinned, r.list));
      checks.ok(
        name + (c.successor ? ' is a successor' : ' is not a successor'),
        isSuccessor(pinned, r.list) === c.successor,
      );
    }
  }
}

async function checkSignedPreKeys(checks, v, alice) {
  for (const c of v.signedPreKeys) {
    const name = `devices signed prekey ${c.name}`;
    const key = fromHex(c.publicKey);
    const signature = fromHex(c.signature);
    checks.ok(
      name + (c.valid ? ' is valid' : ' is refused'),
      (await signedPreKeyVerifies(
        alice.publicKey,
        c.deviceId,
        c.keyId,
        c.createdAt,
        key,
        signature,
      )) === c.valid,
    );
    if (c.valid) {
      const v3 = c.signedMessage.startsWith(hex(SIGNED_PREKEY_V3_LABEL));
      const message = v3
        ? signedPreKeyMessageV3(c.deviceId, c.keyId, c.createdAt, key)
        : signedPreKeyMessage(c.keyId, c.createdAt, key);
      checks.ok(name + ' signed message', same(message, c.signedMessage));
      checks.ok(
        name + ' signs to its signature',
        same(await ed25519Sign(alice.privateKey, message), c.signature),
      );
    }
  }
}

/**
 * fanout.json: every `fanouts[]` case of version 4, and of the server's `sends[]` what a client relies on: an
 * accepted send names, for each user, exactly the devices `required` gives, and `stale_devices` names `required` of
 * the server's sets. The other refusals (invalid_copies, unknown_recipient) are the server's alone. This page
 * speaks relay version 4 and sends to one user, so the version 5 fan-outs (several `recipients`) are skipped; what
 * it checks of `sends[]` does not depend on the version, so those of version 5 are checked too.
 */
export async function checkFanout(checks, v) {
  for (const c of v.fanouts.filter((f) => f.version === 4)) {
    checks.ok(
      `fanout ${c.name}`,
      sameJson(targets(c.device, c.own, c.recipient, c.ownDevices), c.copies),
    );
  }
  for (const c of v.sends.filter((s) => s.result === 'accepted')) {
    const named = [...new Set(c.copies.map((copy) => copy.to))];
    const setOf = (user) => c.current.find((s) => s.user === user);
    checks.ok(
      `fanout send ${c.name}: each user's copies are its required devices`,
      named.every((user) =>
        sameJson(
          c.copies
            .filter((copy) => copy.to === user)
            .map((copy) => copy.device)
            .sort((a, b) => a - b),
          required(c.sender, c.device, setOf(user)),
        ),
      ),
    );
  }
  for (const c of v.sends.filter((s) => s.result === 'stale_devices')) {
    checks.ok(
      `fanout send ${c.name}: stale_devices names the required devices`,
      c.devices.every((d) =>
        sameJson(
          d.ids,
          required(
            c.sender,
            c.device,
            c.current.find((s) => s.user === d.user),
          ),
        ),
      ),
    );
  }
  checks.ok(
    'fanout a legacy account is serial 0, device 1',
    sameJson(devicesOf('bob', null), { user: 'bob', serial: 0, ids: [1] }),
  );
  const own = { user: 'alice', serial: 2, ids: [1, 2] };
  await checks.throws("fanout refuses the sender's own account as the recipient", () =>
    targets(1, own, own, true),
  );
  await checks.throws('fanout refuses a legacy set with another device than 1', () =>
    targets(1, own, { user: 'bob', serial: 0, ids: [2] }, true),
  );
  await checks.throws('fanout refuses a set whose ids are not increasing', () =>
    targets(1, own, { user: 'bob', serial: 3, ids: [2, 1] }, true),
  );
}
