// hkdf.json, channel.json and wire.json.
import { equal, fromHex, hex, utf8 } from '../js/lib/bytes.js';
import {
  ed25519Sign,
  ed25519Verify,
  hkdf,
  insecureEd25519FromSeed,
  insecureX25519FromPrivate,
  sha256,
  x25519,
} from '../js/lib/crypto.js';
import {
  associatedData,
  ClientHandshake,
  CLIENT_TO_SERVER,
  deriveKeys,
  FrameOpener,
  FrameSealer,
  nonce,
  SERVER_TO_CLIENT,
  transcript,
} from '../js/channel/channel.js';
import { decode, encodeText } from '../js/lib/wire.js';

export const same = (bytes, expectedHex) => hex(bytes) === expectedHex;

export async function checkHkdf(checks, v) {
  for (const c of v.cases) {
    const okm = await hkdf(fromHex(c.ikm), fromHex(c.salt), fromHex(c.info), c.length);
    checks.ok(`hkdf ${c.name}`, same(okm, c.okm));
  }
}

export async function checkChannel(checks, v) {
  const server = await insecureEd25519FromSeed(fromHex(v.serverIdentity.privateKey));
  const client = await insecureX25519FromPrivate(fromHex(v.clientEphemeral.privateKey));
  const serverEph = await insecureX25519FromPrivate(fromHex(v.serverEphemeral.privateKey));
  checks.ok('server identity public key', same(server.publicKey, v.serverIdentity.publicKey));
  checks.ok('client ephemeral public key', same(client.publicKey, v.clientEphemeral.publicKey));
  checks.ok('server ephemeral public key', same(serverEph.publicKey, v.serverEphemeral.publicKey));

  const pinned = fromHex(v.serverIdentity.publicKey);
  const handshake = await ClientHandshake.start(pinned, client);
  checks.ok('clientHello', same(handshake.hello(), v.clientHello));
  const t = transcript(client.publicKey, serverEph.publicKey, pinned);
  checks.ok('transcript', same(t, v.transcript));
  checks.ok(
    'signature (Ed25519 is deterministic)',
    same(await ed25519Sign(server.privateKey, t), v.signature),
  );
  checks.ok('signature verifies', await ed25519Verify(pinned, t, fromHex(v.signature)));
  const shared = await x25519(client.privateKey, serverEph.publicKey);
  checks.ok('sharedSecret (client side)', same(shared, v.sharedSecret));
  checks.ok(
    'sharedSecret (server side)',
    same(await x25519(serverEph.privateKey, client.publicKey), v.sharedSecret),
  );
  checks.ok('salt', same(await sha256(t), v.salt));
  checks.ok(
    'info strings',
    v.clientToServerInfo === 'SecureCom channel v1 client->server' &&
      v.serverToClientInfo === 'SecureCom channel v1 server->client',
  );
  const keys = await deriveKeys(shared, t);
  checks.ok('clientToServerKey', same(keys.clientToServer, v.clientToServerKey));
  checks.ok('serverToClientKey', same(keys.serverToClient, v.serverToClientKey));

  const { sealer, opener } = await handshake.finish(fromHex(v.serverHello));
  const serverSealer = new FrameSealer(keys.serverToClient, SERVER_TO_CLIENT);
  for (const f of v.frames) {
    const dir = f.direction === 'clientToServer' ? CLIENT_TO_SERVER : SERVER_TO_CLIENT;
    const name = `frame ${f.direction} ${f.counter}`;
    checks.ok(name + ' direction byte', dir === f.directionByte);
    checks.ok(name + ' nonce', same(nonce(dir, f.counter), f.nonce));
    checks.ok(name + ' associated data', same(associatedData(dir, f.counter), f.associatedData));
    if (dir === CLIENT_TO_SERVER) {
      checks.ok(
        name + " sealed by the handshake's sealer",
        same(await sealer.seal(utf8(f.plaintext)), f.frame),
      );
    } else {
      checks.ok(name + ' sealed', same(await serverSealer.seal(utf8(f.plaintext)), f.frame));
      const opened = await opener.open(fromHex(f.frame));
      checks.ok(name + " opened by the handshake's opener", equal(opened, utf8(f.plaintext)));
    }
  }
  await checkChannelRefusals(checks, v, client, keys);
}

async function checkChannelRefusals(checks, v, client, keys) {
  const hello = fromHex(v.serverHello);
  const other = await insecureEd25519FromSeed(new Uint8Array(32).fill(7));
  const closeCode = async (name, fn, code) => {
    try {
      await fn();
      checks.ok(name + ' is refused', false);
    } catch (e) {
      checks.ok(`${name} closes with ${code} (got ${e.code})`, e.code === code);
    }
  };
  await closeCode(
    'ServerHello under another pinned key',
    async () => (await ClientHandshake.start(other.publicKey, client)).finish(hello),
    1008,
  );
  const flipped = hello.slice();
  flipped[40] ^= 1;
  await closeCode(
    'ServerHello with a flipped signature bit',
    async () =>
      (await ClientHandshake.start(fromHex(v.serverIdentity.publicKey), client)).finish(flipped),
    1008,
  );
  await closeCode(
    'short ServerHello',
    async () =>
      (await ClientHandshake.start(fromHex(v.serverIdentity.publicKey), client)).finish(
        hello.slice(0, 96),
      ),
    1007,
  );
  const frame = fromHex(v.frames.find((f) => f.direction === 'serverToClient').frame);
  for (const bit of [0, 63, 64, 8 * frame.length - 1]) {
    const tampered = frame.slice();
    tampered[bit >> 3] ^= 1 << (bit & 7);
    await closeCode(
      `frame with bit ${bit} flipped`,
      () => new FrameOpener(keys.serverToClient, SERVER_TO_CLIENT).open(tampered),
      bit < 64 ? 1008 : 1007,
    );
  }
  await closeCode(
    'frame of the other direction',
    () => new FrameOpener(keys.clientToServer, SERVER_TO_CLIENT).open(fromHex(v.frames[0].frame)),
    1007,
  );
  await closeCode(
    'truncated frame',
    () => new FrameOpener(keys.serverToClient, SERVER_TO_CLIENT).open(frame.slice(0, 23)),
    1007,
  );
}

function hexToBytes(h) {
  return fromHex(h);
}

export async function checkWire(checks, v) {
  for (const c of v.valid) {
    let message = null;
    try {
      message = decode(c.json);
    } catch (e) {
      checks.ok(`wire valid "${c.name}" decodes (${e.message})`, false);
      continue;
    }
    checks.ok(
      `wire valid "${c.name}" decodes to its message`,
      JSON.stringify(sorted(message)) === JSON.stringify(sorted(c.message)),
    );
    if (c.canonical) {
      checks.ok(`wire valid "${c.name}" encodes canonically`, encodeText(message) === c.json);
    }
  }
  for (const c of v.invalid) {
    const input = c.hex !== undefined ? hexToBytes(c.hex) : c.json;
    await checks.throws(`wire invalid "${c.name}"`, () => decode(input), 'MalformedMessage');
  }
}

function sorted(o) {
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );
}
