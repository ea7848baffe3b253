// The client's half of the encrypted channel (docs/protocol.md, "The WebSocket channel"): the handshake signed
// by the pinned server key, HKDF key derivation, and AES-256-GCM frames with one counter per direction.
import { ascii, concat, readU64, u64, u8 } from '../lib/bytes.js';
import {
  aesGcmOpen,
  aesGcmSeal,
  aesKey,
  DecryptionFailed,
  ed25519Verify,
  hkdf,
  sha256,
  x25519,
  x25519Generate,
} from '../lib/crypto.js';

export const VERSION = 0x01;
export const CLIENT_TO_SERVER = 0x01;
export const SERVER_TO_CLIENT = 0x02;
const LABEL = ascii('SecureCom channel v1');
const C2S_INFO = ascii('SecureCom channel v1 client->server');
const S2C_INFO = ascii('SecureCom channel v1 server->client');
const SERVER_HELLO_BYTES = 97;
const HEADER_BYTES = 8;
const TAG_BYTES = 16;
const MAX_COUNTER = 2 ** 53; // far below the protocol's 2^63 - 2; reconnect long before

/** Ends the channel with a close code of the protocol's table (1007 malformed, 1008 policy). */
export class ChannelError extends Error {
  constructor(code, reason) {
    super(reason);
    this.name = 'ChannelError';
    this.code = code;
  }
}

export function transcript(clientEphemeral, serverEphemeral, serverIdentityKey) {
  return concat(LABEL, u8(VERSION), clientEphemeral, serverEphemeral, serverIdentityKey);
}

/** {clientToServer, serverToClient}: raw 32-byte keys. */
export async function deriveKeys(shared, transcriptBytes) {
  const salt = await sha256(transcriptBytes);
  return {
    clientToServer: await hkdf(shared, salt, C2S_INFO, 32),
    serverToClient: await hkdf(shared, salt, S2C_INFO, 32),
  };
}

export function nonce(direction, counter) {
  return concat(u8(direction), new Uint8Array(3), u64(counter));
}

export function associatedData(direction, counter) {
  return concat(u8(direction), u64(counter));
}

/** Seals the frames of one direction; callers seal one frame at a time, in sending order. */
export class FrameSealer {
  constructor(key, direction) {
    this.key = key;
    this.direction = direction;
    this.counter = 0;
  }

  async seal(plaintext) {
    if (this.counter >= MAX_COUNTER) {
      throw new ChannelError(1000, 'channel counter exhausted; reconnect');
    }
    const n = this.counter++;
    const sealed = await aesGcmSeal(
      this.key,
      nonce(this.direction, n),
      plaintext,
      associatedData(this.direction, n),
    );
    return concat(u64(n), sealed);
  }
}

/** Opens the frames of one direction, strictly in order; any failure is a ChannelError (1007 or 1008). */
export class FrameOpener {
  constructor(key, direction) {
    this.key = key;
    this.direction = direction;
    this.expected = 0;
  }

  async open(frame) {
    if (frame.length < HEADER_BYTES + TAG_BYTES) {
      throw new ChannelError(1007, 'malformed frame');
    }
    const n = readU64(frame, 0);
    if (n !== BigInt(this.expected)) {
      throw new ChannelError(1008, 'frame out of sequence');
    }
    try {
      const plaintext = await aesGcmOpen(
        this.key,
        nonce(this.direction, n),
        frame.subarray(HEADER_BYTES),
        associatedData(this.direction, n),
      );
      this.expected++;
      return plaintext;
    } catch (e) {
      if (e instanceof DecryptionFailed) {
        throw new ChannelError(1007, 'decryption failed');
      }
      throw e;
    }
  }
}

/**
 * The client's handshake. `ephemeral` is for test vectors only; a real connection generates a fresh pair.
 * finish() checks the ServerHello against the pinned key and returns {sealer, opener}.
 */
export class ClientHandshake {
  static async start(pinnedServerKey, ephemeral) {
    return new ClientHandshake(pinnedServerKey, ephemeral || (await x25519Generate()));
  }

  constructor(pinnedServerKey, ephemeral) {
    this.pinnedServerKey = pinnedServerKey;
    this.ephemeral = ephemeral;
  }

  hello() {
    return concat(u8(VERSION), this.ephemeral.publicKey);
  }

  async finish(serverHello) {
    if (serverHello.length !== SERVER_HELLO_BYTES || serverHello[0] !== VERSION) {
      throw new ChannelError(1007, 'malformed handshake');
    }
    const serverEphemeral = serverHello.slice(1, 33);
    const signature = serverHello.slice(33, 97);
    const t = transcript(this.ephemeral.publicKey, serverEphemeral, this.pinnedServerKey);
    if (!(await ed25519Verify(this.pinnedServerKey, t, signature))) {
      throw new ChannelError(1008, 'server key does not match the pinned key');
    }
    let shared;
    try {
      shared = await x25519(this.ephemeral.privateKey, serverEphemeral);
    } catch {
      throw new ChannelError(1007, 'malformed handshake');
    }
    const keys = await deriveKeys(shared, t);
    shared.fill(0);
    this.ephemeral = null; // one connection only
    return {
      sealer: new FrameSealer(await aesKey(keys.clientToServer), CLIENT_TO_SERVER),
      opener: new FrameOpener(await aesKey(keys.serverToClient), SERVER_TO_CLIENT),
    };
  }
}
