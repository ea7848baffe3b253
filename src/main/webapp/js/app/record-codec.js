// The bytes a stored record is sealed as: the value's tree as tagged JSON, with exactly the types the client keeps
// in IndexedDB (plain objects, arrays, strings, numbers, BigInts, booleans, null, undefined, Uint8Arrays and Maps).
// CryptoKeys cannot be turned into bytes by script: encode() takes them out and refers to them by position, and
// only non-extractable ones are accepted. Anything else (a Date, a class instance, a cycle) is refused on encode.
import { base64, fromBase64, fromUtf8, utf8 } from '../lib/bytes.js';

// Strings, booleans, null and finite numbers stand for themselves; everything else is an array [tag, ...].
const UNDEFINED = 'u';
const NUMBER = 'n'; // NaN, ±Infinity, -0
const BIGINT = 'i';
const BYTES = 'b';
const ARRAY = 'a';
const OBJECT = 'o';
const MAP = 'm';
const CRYPTO_KEY = 'k';
const SPECIAL_NUMBERS = new Map([
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
  ['-0', -0],
]);

function isPlainObject(value) {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(key) {
  return [key.algorithm.name, key.type, [...key.usages].sort()];
}

function tree(value, cryptoKeys, path) {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'undefined':
      return [UNDEFINED];
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0)
        ? value
        : [NUMBER, Object.is(value, -0) ? '-0' : String(value)];
    case 'bigint':
      return [BIGINT, value.toString()];
    case 'object':
      break;
    default:
      throw new TypeError('cannot store a ' + typeof value);
  }
  if (value === null) {
    return null;
  }
  if (value instanceof CryptoKey) {
    if (value.extractable) {
      throw new TypeError('cannot store an extractable CryptoKey');
    }
    cryptoKeys.push(value);
    return [CRYPTO_KEY, cryptoKeys.length - 1, ...describe(value)];
  }
  if (value instanceof Uint8Array) {
    return [BYTES, base64(value)];
  }
  if (path.has(value)) {
    throw new TypeError('cannot store a value that contains itself');
  }
  path.add(value);
  let out;
  if (Array.isArray(value)) {
    out = [ARRAY, Array.from(value, (v) => tree(v, cryptoKeys, path))];
  } else if (value instanceof Map) {
    out = [
      MAP,
      Array.from(value, ([k, v]) => [tree(k, cryptoKeys, path), tree(v, cryptoKeys, path)]),
    ];
  } else if (isPlainObject(value)) {
    out = [
      OBJECT,
      Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tree(v, cryptoKeys, path)])),
    ];
  } else {
    throw new TypeError('cannot store a ' + (value.constructor?.name || 'object'));
  }
  path.delete(value);
  return out;
}

/** {bytes, cryptoKeys}: the value as UTF-8 tagged JSON, and the CryptoKeys it refers to, in order. */
export function encode(value) {
  const cryptoKeys = [];
  const bytes = utf8(JSON.stringify(tree(value, cryptoKeys, new Set())));
  return { bytes, cryptoKeys };
}

function fail() {
  throw new TypeError('not an encoded record');
}

function sameKey(key, [name, type, usages]) {
  const [n, t, u] = describe(key);
  return (
    n === name &&
    t === type &&
    Array.isArray(usages) &&
    u.length === usages.length &&
    u.every((x, i) => x === usages[i])
  );
}

function value(node, cryptoKeys, used) {
  if (
    node === null ||
    typeof node === 'string' ||
    typeof node === 'boolean' ||
    typeof node === 'number'
  ) {
    return node;
  }
  if (!Array.isArray(node)) {
    fail();
  }
  const [tag, a, ...rest] = node;
  switch (tag) {
    case UNDEFINED:
      return undefined;
    case NUMBER:
      return SPECIAL_NUMBERS.has(a) ? SPECIAL_NUMBERS.get(a) : fail();
    case BIGINT:
      return /^-?[0-9]+$/.test(a) ? BigInt(a) : fail();
    case BYTES:
      return fromBase64(a);
    case ARRAY:
      return Array.isArray(a) ? a.map((v) => value(v, cryptoKeys, used)) : fail();
    case MAP:
      return Array.isArray(a)
        ? new Map(
            a.map((e) =>
              Array.isArray(e) && e.length === 2
                ? [value(e[0], cryptoKeys, used), value(e[1], cryptoKeys, used)]
                : fail(),
            ),
          )
        : fail();
    case OBJECT:
      return a !== null && typeof a === 'object' && !Array.isArray(a)
        ? Object.fromEntries(Object.entries(a).map(([k, v]) => [k, value(v, cryptoKeys, used)]))
        : fail();
    case CRYPTO_KEY: {
      const key = cryptoKeys[a];
      if (!(key instanceof CryptoKey) || key.extractable || !sameKey(key, rest) || used.has(a)) {
        fail();
      }
      used.add(a);
      return key;
    }
    default:
      return fail();
  }
}

/**
 * The value encode() was given. `cryptoKeys` must be exactly the keys it referred to: each one non-extractable,
 * of the algorithm, type and usages recorded. TypeError for anything else.
 */
export function decode(bytes, cryptoKeys) {
  const used = new Set();
  const out = value(JSON.parse(fromUtf8(bytes)), cryptoKeys, used);
  if (used.size !== cryptoKeys.length) {
    fail();
  }
  return out;
}
