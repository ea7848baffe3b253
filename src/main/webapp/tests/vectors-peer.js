// x3dh.json, ratchet.json, safety-number.json and envelope.json.
import { fromHex, hex, utf8 } from '../js/lib/bytes.js';
import {
  DecryptionFailed,
  ed25519Sign,
  insecureEd25519FromSeed,
  insecureX25519FromPrivate,
  x25519,
  x25519Generate,
} from '../js/lib/crypto.js';
import {
  HEADER_BYTES,
  headerBytes,
  MIN_CIPHERTEXT_BYTES,
  normalMessage,
  parseEnvelope,
  preKeyHeaderBytes,
  preKeyMessage,
} from '../js/e2e/envelope.js';
import { x3dhIkm, x3dhSecret } from '../js/e2e/kdf.js';
import { BLOCK, pad, unpad } from '../js/e2e/padding.js';
import { decodePayload, encodePayload } from '../js/e2e/payload.js';
import * as ratchet from '../js/e2e/ratchet.js';
import { display, fingerprint, safetyNumber } from '../js/e2e/safety-number.js';
import * as session from '../js/e2e/session.js';
import {
  identityDhMessage,
  initiate,
  respond,
  signedPreKeyMessage,
  verifyBundle,
} from '../js/e2e/x3dh.js';
import { bundleFromJson } from '../js/app/identities.js';
import { same } from './vectors-channel.js';

/** The vectors' bundles are the registry's JSON exactly: read them with the client's own parser. */
function bundleOf(json) {
  return bundleFromJson(json.username, json);
}

/** A key source that hands out the given pairs in order, then fresh ones (for the tamper checks). */
function fixedKeys(pairs) {
  const queue = [...pairs];
  return { next: async () => (queue.length ? queue.shift() : x25519Generate()) };
}

const pair = (k) => insecureX25519FromPrivate(fromHex(k.privateKey));

/** A version 2 PreKey envelope around `preKeyHeader` with a zero header and the shortest ciphertext. */
const preKeyEnvelope = (preKeyHeader) =>
  new Uint8Array([
    2,
    1,
    ...fromHex(preKeyHeader),
    ...new Uint8Array(HEADER_BYTES + MIN_CIPHERTEXT_BYTES),
  ]);

/** True if two decoded payloads are the same (null equals null). */
function samePayload(p, q) {
  return JSON.stringify(p) === JSON.stringify(q);
}

/**
 * The payload fields a vector states: {id, type, sentAt, body, fromDevice, toDevice},
 * {id, type, sentAt, receipt, of, fromDevice, toDevice} or {id, type, sentAt, to, body, fromDevice, toDevice}.
 */
function payloadOf(c) {
  const devices = { fromDevice: c.fromDevice, toDevice: c.toDevice };
  if (c.type === 'receipt') {
    return { id: c.id, type: c.type, sentAt: c.sentAt, receipt: c.receipt, of: c.of, ...devices };
  }
  if (c.type === 'sent') {
    return { id: c.id, type: c.type, sentAt: c.sentAt, to: c.to, body: c.body, ...devices };
  }
  if (c.type === 'groupText') {
    return { id: c.id, type: c.type, sentAt: c.sentAt, group: c.group, body: c.body, ...devices };
  }
  if (c.type === 'groupUpdate') {
    return { id: c.id, type: c.type, sentAt: c.sentAt, group: c.group, ...devices };
  }
  return { id: c.id, type: c.type, sentAt: c.sentAt, body: c.body, ...devices };
}

async function parties(v) {
  const alice = {
    sign: await insecureEd25519FromSeed(fromHex(v.alice.identityKey.privateKey)),
    dh: await pair(v.alice.identityDhKey),
  };
  const bob = {
    sign: await insecureEd25519FromSeed(fromHex(v.bob.identityKey.privateKey)),
    dh: await pair(v.bob.identityDhKey),
    spk: await pair(v.bob.signedPreKey),
    opk: await pair(v.bob.oneTimePreKey),
  };
  const me = (p) => ({
    identityKey: p.sign.publicKey,
    identityDhKey: p.dh.publicKey,
    dhPrivateKey: p.dh.privateKey,
  });
  const identity = (name, p) => ({
    username: name,
    identityKey: p.sign.publicKey,
    identityDhKey: p.dh.publicKey,
    identityDhSignature: fromHex(v[name].identityDhSignature),
  });
  const preKeys = {
    signedPreKey: (id) => (id === BigInt(v.bob.signedPreKey.keyId) ? bob.spk : null),
    oneTimePreKey: (id) => (id === BigInt(v.bob.oneTimePreKey.keyId) ? bob.opk : null),
  };
  return {
    alice,
    bob,
    aliceMe: me(alice),
    bobMe: me(bob),
    aliceIdentity: identity('alice', alice),
    bobIdentity: identity('bob', bob),
    preKeys,
  };
}

export async function checkX3dh(checks, v) {
  const p = await parties(v);
  for (const [name, k, mine] of [
    ['alice', v.alice, p.alice],
    ['bob', v.bob, p.bob],
  ]) {
    checks.ok(`${name} identity key`, same(mine.sign.publicKey, k.identityKey.publicKey));
    checks.ok(`${name} identity DH key`, same(mine.dh.publicKey, k.identityDhKey.publicKey));
    checks.ok(
      `${name} identity DH signature`,
      same(
        await ed25519Sign(mine.sign.privateKey, identityDhMessage(mine.dh.publicKey)),
        k.identityDhSignature,
      ),
    );
  }
  checks.ok(
    'bob signed prekey',
    same(p.bob.spk.publicKey, v.bob.signedPreKey.publicKey) &&
      same(
        await ed25519Sign(
          p.bob.sign.privateKey,
          signedPreKeyMessage(
            v.bob.signedPreKey.keyId,
            v.bob.signedPreKey.createdAt,
            p.bob.spk.publicKey,
          ),
        ),
        v.bob.signedPreKey.signature,
      ),
  );
  checks.ok('bob one-time prekey', same(p.bob.opk.publicKey, v.bob.oneTimePreKey.publicKey));
  const eph = await pair(v.aliceEphemeral);
  for (const c of v.cases) {
    const bundle = bundleOf(c.bundle);
    const dhs = [
      await x25519(p.alice.dh.privateKey, bundle.signedPreKey.publicKey),
      await x25519(eph.privateKey, bundle.identityDhKey),
      await x25519(eph.privateKey, bundle.signedPreKey.publicKey),
    ];
    if (bundle.oneTimePreKey) {
      dhs.push(await x25519(eph.privateKey, bundle.oneTimePreKey.publicKey));
    }
    dhs.forEach((dh, i) => checks.ok(`x3dh ${c.name} dh${i + 1}`, same(dh, c[`dh${i + 1}`])));
    checks.ok(
      `x3dh ${c.name} has dh4 exactly when the bundle has a one-time prekey`,
      (dhs.length === 4) === !!c.dh4,
    );
    checks.ok(`x3dh ${c.name} ikm`, same(x3dhIkm(dhs), c.ikm));
    checks.ok(`x3dh ${c.name} sharedSecret`, same(await x3dhSecret(dhs), c.sharedSecret));
    const initiator = await initiate(
      p.aliceMe,
      'alice',
      bundle,
      fixedKeys([eph, await pair(v.alice.identityDhKey)]),
    );
    checks.ok(
      `x3dh ${c.name} initiator associatedData`,
      same(initiator.associatedData, c.associatedData),
    );
    checks.ok(`x3dh ${c.name} preKeyHeader`, same(initiator.preKeyHeader, c.preKeyHeader));
    const header = parseEnvelope(preKeyEnvelope(c.preKeyHeader)).preKey;
    const responder = await respond(p.bobMe, 'bob', p.aliceIdentity, header, p.preKeys);
    checks.ok(
      `x3dh ${c.name} responder sharedSecret (its first root key)`,
      same(responder.rootKey, c.sharedSecret),
    );
    checks.ok(
      `x3dh ${c.name} responder associatedData`,
      same(responder.associatedData, c.associatedData),
    );
  }
  for (const r of v.refusedBundles) {
    await checks.throws(
      `x3dh refuses bundle ${r.name}`,
      () => verifyBundle(bundleOf(r.bundle)),
      'UntrustedBundle',
    );
    await checks.throws(
      `x3dh initiate refuses bundle ${r.name}`,
      () => initiate(p.aliceMe, 'alice', bundleOf(r.bundle), fixedKeys([eph, eph])),
      'UntrustedBundle',
    );
  }
  const wrongIdentity = { ...p.aliceIdentity, identityDhKey: p.bob.dh.publicKey };
  const header = parseEnvelope(preKeyEnvelope(v.cases[0].preKeyHeader));
  await checks.throws(
    'x3dh responder refuses an identity that does not match the header',
    () => respond(p.bobMe, 'bob', wrongIdentity, header.preKey, p.preKeys),
    'DecryptionFailed',
  );
}

export async function checkRatchet(checks, v, x) {
  const p = await parties(x);
  const aliceKeys = fixedKeys(await Promise.all(v.aliceKeys.map(pair)));
  const bobKeys = fixedKeys(await Promise.all(v.bobKeys.map(pair)));
  const aliceKeyList = await Promise.all(v.aliceKeys.map(pair));
  aliceKeyList.forEach((k, i) =>
    checks.ok(`ratchet alice key ${i}`, same(k.publicKey, v.aliceKeys[i].publicKey)),
  );
  const bundle = bundleOf(x.cases.find((c) => c.name === 'withOneTimePreKey').bundle);
  const records = {
    alice: await session.initiate(session.emptyRecord(), p.aliceMe, 'alice', bundle, aliceKeys),
    bob: session.emptyRecord(),
  };
  const pins = { alice: p.bobIdentity, bob: p.aliceIdentity };
  const a0 = session.current(records.alice, pins.alice);
  checks.ok('ratchet initiatorInit rootKey', same(a0.rootKey, v.initiatorInit.rootKey));
  checks.ok(
    'ratchet initiatorInit sendingChainKey',
    same(a0.sendingChainKey, v.initiatorInit.sendingChainKey),
  );
  checks.ok(
    'ratchet initiatorInit ratchetKey',
    same(a0.sendingRatchet.publicKey, v.initiatorInit.ratchetKey),
  );
  checks.ok('ratchet associatedData', same(a0.associatedData, v.associatedData));
  const ctx = {
    alice: {
      me: p.aliceMe,
      myName: 'alice',
      pin: pins.alice,
      senderIdentity: async () => p.bobIdentity,
      preKeys: null,
      keys: aliceKeys,
    },
    bob: {
      me: p.bobMe,
      myName: 'bob',
      pin: pins.bob,
      senderIdentity: async () => p.aliceIdentity,
      preKeys: p.preKeys,
      keys: bobKeys,
    },
  };
  const envelopes = [];
  for (const e of v.events) {
    const m = v.messages[e.message];
    const name = `ratchet event ${e.action} ${e.party} message ${e.message}`;
    if (e.action === 'send') {
      const payload = decodePayload(utf8(m.plaintext));
      checks.ok(
        name + ' payload encodes canonically',
        !!payload && same(encodePayload(payload), hex(utf8(m.plaintext))),
      );
      checks.ok(name + ' padded plaintext', same(pad(utf8(m.plaintext)), m.padded));
      const out = await session.encrypt(records[e.party], pins[e.party], payload);
      records[e.party] = out.record;
      envelopes[e.message] = out.envelope;
      checks.ok(name + ' envelope', same(out.envelope, m.envelope));
      const parsed = parseEnvelope(out.envelope);
      checks.ok(
        name + ' header',
        same(parsed.headerBytes, m.header) &&
          parsed.type === m.type &&
          same(headerBytes(parsed.header), m.header),
      );
      continue;
    }
    const before = new Set(session.current(records[e.party], pins[e.party])?.skipped.keys() || []);
    const out = await session.decrypt(
      records[e.party],
      fromHex(m.envelope),
      m.relayId,
      ctx[e.party],
    );
    records[e.party] = out.record;
    const s = session.current(out.record, pins[e.party]);
    checks.ok(
      name + ' plaintext',
      samePayload(out.payload, decodePayload(utf8(m.plaintext))) && out.payload.id === m.relayId,
    );
    checks.ok(
      name + " reports the sender's identity",
      same(out.peer.identityKey, hex(pins[e.party].identityKey)) &&
        same(out.peer.identityDhKey, hex(pins[e.party].identityDhKey)),
    );
    if (e.ratchetStep) {
      checks.ok(name + ' rootKey after the step', same(s.rootKey, e.ratchetStep.rootKey));
      checks.ok(
        name + ' new ratchet key',
        same(s.sendingRatchet.publicKey, e.ratchetStep.newRatchetKey),
      );
      checks.ok(
        name + ' their ratchet key',
        same(s.receivingRatchetKey, e.ratchetStep.theirRatchetKey),
      );
      checks.ok(
        name + ' sending chain key',
        same(s.sendingChainKey, e.ratchetStep.sendingChainKey),
      );
    }
    const stored = [...s.skipped.entries()].filter(([id]) => !before.has(id));
    checks.ok(
      name + ' skipped keys stored',
      stored.length === e.skippedKeysStored.length &&
        e.skippedKeysStored.every(
          (k, i) =>
            stored[i][0] === `${k.ratchetKey}:${k.counter}` && same(stored[i][1], k.messageKey),
        ),
    );
  }
  await checkRatchetRefusals(checks, v, records, ctx, pins);
}

async function checkRatchetRefusals(checks, v, records, ctx, pins) {
  const last = v.messages[v.messages.length - 1];
  await checks.throws(
    'ratchet redelivered message is a duplicate',
    () => session.decrypt(records.bob, fromHex(last.envelope), last.relayId, ctx.bob),
    'DuplicateMessage',
  );
  await checks.throws(
    'ratchet redelivered first PreKey message is a duplicate',
    () =>
      session.decrypt(records.bob, fromHex(v.messages[0].envelope), v.messages[0].relayId, ctx.bob),
    'DuplicateMessage',
  );
  const next = await session.encrypt(records.alice, pins.alice, {
    id: 'm7-tamper',
    type: 'text',
    body: 'tamper',
    sentAt: '2025-01-01T12:00:07.000Z',
  });
  await checks.throws(
    'ratchet under another relay id',
    () => session.decrypt(records.bob, next.envelope, 'm7-other', ctx.bob),
    'DecryptionFailed',
  );
  for (const bit of [17, 8 * 2 + 300, 8 * next.envelope.length - 1]) {
    const tampered = next.envelope.slice();
    tampered[bit >> 3] ^= 1 << (bit & 7);
    await checks.throws(
      `ratchet envelope with bit ${bit} flipped`,
      () => session.decrypt(records.bob, tampered, 'm7-tamper', ctx.bob),
      'DecryptionFailed',
    );
  }
  const unmarked = utf8(
    '{"id":"m7-tamper","type":"text","sentAt":"2025-01-01T12:00:07.000Z","body":"tamper"}'.padEnd(
      BLOCK,
      ' ',
    ),
  );
  for (const [what, plaintext] of [
    ['without the 0x80 mark', unmarked],
    ['of zeros only', new Uint8Array(BLOCK)],
  ]) {
    const work = ratchet.copyState(session.current(records.alice, pins.alice));
    const badPadding = await ratchet.encrypt(work, plaintext);
    await checks.throws(
      `ratchet refuses a plaintext ${what}`,
      () => session.decrypt(records.bob, badPadding, 'm7-tamper', ctx.bob),
      'DecryptionFailed',
    );
  }
  const ok = await session.decrypt(records.bob, next.envelope, 'm7-tamper', ctx.bob);
  checks.ok('ratchet refusals left the session unchanged', ok.payload.body === 'tamper');
}

export async function checkSafetyNumber(checks, v) {
  for (const c of v.cases) {
    const a = fromHex(c.identityKeyA);
    const b = fromHex(c.identityKeyB);
    checks.ok(
      `safety number ${c.name} fingerprintA`,
      (await fingerprint(c.usernameA, a)) === c.fingerprintA,
    );
    checks.ok(
      `safety number ${c.name} fingerprintB`,
      (await fingerprint(c.usernameB, b)) === c.fingerprintB,
    );
    const n = await safetyNumber(c.usernameA, a, c.usernameB, b);
    checks.ok(`safety number ${c.name}`, n === c.safetyNumber);
    checks.ok(
      `safety number ${c.name} is symmetric`,
      (await safetyNumber(c.usernameB, b, c.usernameA, a)) === n,
    );
    checks.ok(`safety number ${c.name} display`, display(n) === c.display);
  }
}

export async function checkEnvelope(checks, v) {
  for (const c of v.valid) {
    const bytes = fromHex(c.envelope);
    const e = parseEnvelope(bytes);
    const name = `envelope valid ${c.name}`;
    checks.ok(name + ' type', e.type === c.type);
    checks.ok(
      name + ' header',
      same(e.header.ratchetKey, c.ratchetKey) &&
        e.header.previousCounter === c.previousCounter &&
        e.header.counter === c.counter,
    );
    checks.ok(name + ' ciphertext', same(e.ciphertext, c.ciphertext));
    const header = headerBytes({
      ratchetKey: fromHex(c.ratchetKey),
      previousCounter: c.previousCounter,
      counter: c.counter,
    });
    const rebuilt =
      c.type === 'preKey'
        ? preKeyMessage(
            preKeyHeaderBytes({
              identityKey: fromHex(c.identityKey),
              identityDhKey: fromHex(c.identityDhKey),
              baseKey: fromHex(c.baseKey),
              signedPreKeyId: c.signedPreKeyId,
              oneTimePreKeyId: c.oneTimePreKeyId ?? null,
            }),
            header,
            fromHex(c.ciphertext),
          )
        : normalMessage(header, fromHex(c.ciphertext));
    checks.ok(name + ' encodes from its fields', same(rebuilt, c.envelope));
    if (c.type === 'preKey') {
      const k = e.preKey;
      checks.ok(
        name + ' prekey header',
        same(k.identityKey, c.identityKey) &&
          same(k.identityDhKey, c.identityDhKey) &&
          same(k.baseKey, c.baseKey) &&
          k.signedPreKeyId === BigInt(c.signedPreKeyId) &&
          k.oneTimePreKeyId ===
            (c.oneTimePreKeyId === undefined ? null : BigInt(c.oneTimePreKeyId)),
      );
      checks.ok(name + ' prekey header encodes', same(preKeyHeaderBytes(k), hex(k.bytes)));
    }
  }
  for (const c of v.invalid) {
    await checks.throws(
      `envelope invalid ${c.name}`,
      () => parseEnvelope(fromHex(c.envelope)),
      'DecryptionFailed',
    );
  }
  for (const c of v.payloads.valid) {
    const p = decodePayload(utf8(c.json));
    checks.ok(`payload valid ${c.name}`, samePayload(p, payloadOf(c)));
    if (c.canonical) {
      checks.ok(
        `payload ${c.name} encodes canonically`,
        !!p && same(encodePayload(p), hex(utf8(c.json))),
      );
    }
  }
  for (const c of v.payloads.invalid) {
    checks.ok(`payload invalid ${c.name} is refused`, decodePayload(utf8(c.json)) === null);
  }
  for (const c of v.padding.valid) {
    checks.ok(`padding valid ${c.name} pads`, same(pad(fromHex(c.content)), c.padded));
    checks.ok(`padding valid ${c.name} unpads`, same(unpad(fromHex(c.padded)), c.content));
  }
  for (const c of v.padding.invalid) {
    await checks.throws(
      `padding invalid ${c.name}`,
      () => unpad(fromHex(c.padded)),
      'DecryptionFailed',
    );
  }
  checks.ok(
    'DecryptionFailed says nothing more',
    new DecryptionFailed().message === 'decryption failed',
  );
}
