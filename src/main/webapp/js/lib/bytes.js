// Byte helpers: every byte string in the client is a Uint8Array that nobody mutates after creating it.

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function utf8(text) {
  return encoder.encode(text);
}

/** Decodes UTF-8, refusing invalid sequences (throws TypeError). */
export function fromUtf8(bytes) {
  return strictDecoder.decode(bytes);
}

/** ASCII labels of the protocol ("SecureCom channel v1", ...). */
export const ascii = utf8;

export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function equal(a, b) {
  if (!a || !b || a.length !== b.length) {
    return false;
  }
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    diff |= a[i] ^ b[i];
  }
  return diff === 0;
}

export function isZero(bytes) {
  return bytes.every((b) => b === 0);
}

export function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromHex(text) {
  if (text.length % 2 !== 0 || /[^0-9a-f]/i.test(text)) {
    throw new Error('not hex');
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(text.substr(2 * i, 2), 16);
  }
  return out;
}

/** Standard base64 with padding (RFC 4648 section 4), as every byte string in the protocol's JSON. */
export function base64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Strict: the standard alphabet, padded, nothing else; throws on anything else. */
export function fromBase64(text) {
  if (typeof text !== 'string' || !BASE64.test(text)) {
    throw new Error('not standard padded base64');
  }
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    out[i] = binary.charCodeAt(i);
  }
  return out;
}

export function u8(n) {
  return Uint8Array.of(n);
}

export function u32(n) {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

/** 8-byte big-endian; n is a non-negative safe integer or a BigInt. */
export function u64(n) {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
}

export function readU32(bytes, at) {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at);
}

/** 8-byte big-endian as a BigInt. */
export function readU64(bytes, at) {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(at);
}

/** A copy that owns its buffer (WebCrypto and IndexedDB then never see a larger backing buffer). */
export function copy(bytes) {
  return new Uint8Array(bytes);
}
