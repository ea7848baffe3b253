// The peer protocol's key derivations, exactly as docs/protocol.md states them.
import { ascii, concat } from '../lib/bytes.js';
import { hkdf, hmacSha256 } from '../lib/crypto.js';

export const X3DH_INFO = ascii('SecureCom X3DH v1');
export const RATCHET_INFO = ascii('SecureCom ratchet v1');
export const MESSAGE_INFO = ascii('SecureCom message v1');
const ZERO_SALT = new Uint8Array(32);
const FF32 = new Uint8Array(32).fill(0xff);
const MESSAGE_KEY_INPUT = Uint8Array.of(0x01);
const CHAIN_KEY_INPUT = Uint8Array.of(0x02);

/** The X3DH input key material: 0xFF*32 || DH1 || DH2 || DH3 [|| DH4]. */
export function x3dhIkm(dhOutputs) {
  return concat(FF32, ...dhOutputs);
}

/** SK = HKDF(ikm, salt = 0x00*32, info = "SecureCom X3DH v1", 32). */
export function x3dhSecret(dhOutputs) {
  return hkdf(x3dhIkm(dhOutputs), ZERO_SALT, X3DH_INFO, 32);
}

/** KDF_RK: {rootKey, chainKey}. */
export async function root(rootKey, dhOutput) {
  const out = await hkdf(dhOutput, rootKey, RATCHET_INFO, 64);
  return { rootKey: out.slice(0, 32), chainKey: out.slice(32, 64) };
}

/** KDF_CK: {messageKey, chainKey}. */
export async function chain(chainKey) {
  return {
    messageKey: await hmacSha256(chainKey, MESSAGE_KEY_INPUT),
    chainKey: await hmacSha256(chainKey, CHAIN_KEY_INPUT),
  };
}

/** The AES-256 key and GCM nonce of one message key: {aesKey, nonce}. */
export async function messageKeys(messageKey) {
  const out = await hkdf(messageKey, ZERO_SALT, MESSAGE_INFO, 44);
  return { aesKey: out.slice(0, 32), nonce: out.slice(32, 44) };
}
