// link.json, checked with js/e2e/link.js: link codes and their forms, the texts a reader reads or refuses, and the
// provisioning message sealed to the first code.
import { ascii, concat, fromHex, hex, utf8 } from '../js/lib/bytes.js';
import { aesGcmOpen, hkdf, insecureX25519FromPrivate, x25519 } from '../js/lib/crypto.js';
import {
  GRACE_SECONDS,
  isExpired,
  linkCode,
  LinkCodeRefused,
  mailboxIdOf,
  openProvisioning,
  PROVISIONING_BLOCK,
  readLinkCode,
  REASONS,
  sealProvisioning,
} from '../js/e2e/link.js';
import { pad } from '../js/e2e/padding.js';
import { same } from './vectors-channel.js';

const codeOf = (c) => linkCode(fromHex(c.ephemeralKey), fromHex(c.secret), c.expiresAt);

/** What readLinkCode makes of `text`: {code} or {reason}, the refusal's (or an unexpected error's). */
async function attempt(text) {
  try {
    return { code: await readLinkCode(text) };
  } catch (e) {
    return { reason: e instanceof LinkCodeRefused ? e.reason : `${e.name}: ${e.message}` };
  }
}

/** True if openProvisioning refuses `message` with DecryptionFailed. */
async function refusesToOpen(code, privateKey, message) {
  try {
    await openProvisioning(code, privateKey, message);
    return false;
  } catch (e) {
    return e.name === 'DecryptionFailed';
  }
}

export async function checkLink(checks, v) {
  await checkCodes(checks, v.codes);
  await checkProvisioning(checks, v.codes.valid[0], v.provisioning);
}

async function checkCodes(checks, v) {
  for (const c of v.valid) {
    const name = `link code ${c.name}`;
    const pair = await insecureX25519FromPrivate(fromHex(c.ephemeralPrivateKey));
    checks.ok(name + ' ephemeral key of its private key', same(pair.publicKey, c.ephemeralKey));
    const code = await codeOf(c);
    checks.ok(name + ' bytes', same(code.bytes, c.bytes));
    checks.ok(name + ' text', code.text === c.text);
    checks.ok(name + ' qrText', code.qrText === c.qrText);
    checks.ok(name + ' mailboxId', same(code.mailboxId, c.mailboxId));
    checks.ok(name + ' mailbox is 32 lowercase hex', code.mailbox === c.mailboxId);
    checks.ok(
      name + ' mailboxIdOf its secret',
      same(await mailboxIdOf(fromHex(c.secret)), c.mailboxId),
    );
    for (const form of ['text', 'qrText']) {
      const read = (await attempt(c[form])).code;
      checks.ok(
        `${name} reads back from ${form}`,
        !!read &&
          same(read.bytes, c.bytes) &&
          same(read.ephemeralKey, c.ephemeralKey) &&
          same(read.secret, c.secret) &&
          read.expiresAt === c.expiresAt &&
          same(read.mailboxId, c.mailboxId),
      );
    }
    checks.ok(
      name + ' is taken until GRACE_SECONDS after expiresAt',
      GRACE_SECONDS === 120 &&
        !isExpired(code, c.expiresAt + 120) &&
        !isExpired(code, c.expiresAt + 120.9) &&
        isExpired(code, c.expiresAt + 121),
    );
  }
  for (const c of v.readable) {
    const { code } = await attempt(c.text);
    checks.ok(`link readable ${c.name} reads to the bytes`, !!code && same(code.bytes, c.bytes));
  }
  for (const c of v.refused) {
    const { reason } = await attempt(c.text);
    checks.ok(
      `link refused ${c.name}: ${c.reason} (got ${reason ?? 'read'})`,
      REASONS.includes(c.reason) && reason === c.reason,
    );
  }
  checks.ok(
    'link text longer than 1,000 characters is refused unread',
    !!(await attempt(v.valid[0].qrText.padEnd(1000))).code &&
      (await attempt(v.valid[0].qrText.padEnd(1001))).reason === 'unreadable',
  );
}

async function checkProvisioning(checks, first, p) {
  const v = p.valid;
  const code = await codeOf(first);
  const newDevice = await insecureX25519FromPrivate(fromHex(first.ephemeralPrivateKey));
  const linking = await insecureX25519FromPrivate(fromHex(v.linkingPrivateKey));
  checks.ok('link provisioning linking key', same(linking.publicKey, v.linkingKey));
  const plaintext = utf8(v.plaintext);

  const okm = await hkdf(
    await x25519(linking.privateKey, newDevice.publicKey),
    code.secret,
    ascii('SecureCom link v1 message'),
    44,
  );
  checks.ok('link provisioning key', same(okm.slice(0, 32), v.key));
  checks.ok('link provisioning nonce', same(okm.slice(32), v.nonce));
  const message = fromHex(v.message);
  const header = fromHex(v.header);
  const ad = concat(ascii('SecureCom link v1'), header, code.ephemeralKey, code.mailboxId);
  checks.ok(
    'link provisioning message opens with key, nonce and AD to pad1024(plaintext)',
    same(
      await aesGcmOpen(fromHex(v.key), fromHex(v.nonce), message.slice(header.length), ad),
      hex(pad(plaintext, PROVISIONING_BLOCK)),
    ),
  );

  const sealed = await sealProvisioning(
    code,
    { next: async () => linking },
    v.linkingDeviceId,
    v.newDeviceId,
    v.username,
    plaintext,
  );
  checks.ok('link provisioning sealing writes the message', same(sealed, v.message));
  checks.ok(
    'link provisioning message starts with the header',
    same(sealed.slice(0, header.length), v.header),
  );
  const opened = await openProvisioning(code, newDevice.privateKey, message);
  checks.ok(
    'link provisioning message opens to its header',
    same(opened.header.linkingKey, v.linkingKey) &&
      opened.header.linkingDeviceId === v.linkingDeviceId &&
      opened.header.newDeviceId === v.newDeviceId &&
      opened.header.username === v.username,
  );
  checks.ok(
    'link provisioning message opens to its plaintext',
    same(opened.plaintext, hex(plaintext)),
  );

  for (const c of p.refused) {
    await checks.throws(
      `link provisioning refused ${c.name}`,
      () => openProvisioning(code, newDevice.privateKey, fromHex(c.message)),
      'DecryptionFailed',
    );
  }
  // Every bit of the header and the tag, and the low bit of every ciphertext byte (AES-GCM is the browser's).
  const tagStart = message.length - 16;
  const bits = [];
  for (let bit = 0; bit < 8 * message.length; bit++) {
    const inCiphertext = bit >= 8 * header.length && bit < 8 * tagStart;
    if (!inCiphertext || bit % 8 === 0) {
      bits.push(bit);
    }
  }
  let refused = 0;
  for (const bit of bits) {
    const flipped = message.slice();
    flipped[bit >> 3] ^= 1 << (bit & 7);
    refused += (await refusesToOpen(code, newDevice.privateKey, flipped)) ? 1 : 0;
  }
  checks.ok(
    `link provisioning message with any one of ${bits.length} bits flipped fails to open (${refused} did)`,
    refused === bits.length,
  );
  for (const [what, ids] of [
    ['device id 0', [0, 2, 'alice']],
    ['device id 1,000,000,000', [1, 1e9, 'alice']],
    ['a username outside the rule', [1, 2, 'Alice']],
  ]) {
    await checks.throws(`link provisioning sealing refuses ${what}`, () =>
      sealProvisioning(code, { next: async () => linking }, ...ids, plaintext),
    );
  }
}
