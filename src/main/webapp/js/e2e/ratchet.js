// The Double Ratchet (Perrin and Marlinspike, revision 1) over a plain session-state object, with the KDFs of
// kdf.js (docs/protocol.md, "Double Ratchet"). Every function mutates the state it is given; session.js hands
// decrypt() a copy and keeps it only if the message authenticated.
import { concat, equal, hex, u8 } from '../lib/bytes.js';
import { aesGcmOpen, aesGcmSeal, DecryptionFailed, x25519 } from '../lib/crypto.js';
import { headerBytes, MAX_COUNTER, normalMessage, preKeyMessage } from './envelope.js';
import { chain, messageKeys, root } from './kdf.js';

export const MAX_SKIP = 1000;
export const MAX_SKIPPED_KEYS = 2000;
export const MAX_EVICTED = 2000;
export const MAX_PREVIOUS_CHAINS = 20;
const FROM_INITIATOR = 0x01;
const FROM_RESPONDER = 0x02;

/** A message that was decrypted before: acknowledge it again, do not show it again. */
export class DuplicateMessage extends Error {
  constructor() {
    super('duplicate message');
    this.name = 'DuplicateMessage';
  }
}

/** A message whose skipped key was evicted to make room: acknowledge it, tell the user it could not be read. */
export class LateMessage extends Error {
  constructor() {
    super('late message');
    this.name = 'LateMessage';
  }
}

/**
 * A copy to work on: every mutable part is copied; byte strings and CryptoKeys are never mutated, so shared.
 * `evicted` holds the places ("ratchetKeyHex:counter", oldest first) of evicted skipped keys; states saved before
 * it existed have none.
 */
export function copyState(s) {
  return {
    ...s,
    skipped: new Map(s.skipped),
    evicted: [...(s.evicted || [])],
    previousChains: s.previousChains.map((c) => ({ ...c })),
  };
}

/** RatchetInitAlice, with the responder's signed prekey as its first ratchet public key. */
export async function initInitiator(s, sharedSecret, theirSignedPreKey, keys) {
  s.sendingRatchet = await keys.next();
  s.receivingRatchetKey = theirSignedPreKey;
  const step = await root(
    sharedSecret,
    await x25519(s.sendingRatchet.privateKey, theirSignedPreKey),
  );
  s.rootKey = step.rootKey;
  s.sendingChainKey = step.chainKey;
}

/** RatchetInitBob: the signed prekey pair is the first ratchet key pair. */
export function initResponder(s, sharedSecret, signedPreKey) {
  s.sendingRatchet = signedPreKey;
  s.rootKey = sharedSecret;
}

/** AD || direction || header. */
export function messageAd(s, senderRole, header) {
  return concat(
    s.associatedData,
    u8(senderRole === 'initiator' ? FROM_INITIATOR : FROM_RESPONDER),
    header,
  );
}

/** RatchetEncrypt: the envelope (a PreKey message while the initiator awaits a reply). */
export async function encrypt(s, plaintext) {
  if (!s.sendingChainKey) {
    throw new Error('this session cannot send before it has received');
  }
  if (s.sendCounter > MAX_COUNTER) {
    throw new Error('sending chain exhausted');
  }
  const step = await chain(s.sendingChainKey);
  const header = headerBytes({
    ratchetKey: s.sendingRatchet.publicKey,
    previousCounter: s.previousSendCounter,
    counter: s.sendCounter,
  });
  s.sendingChainKey = step.chainKey;
  s.sendCounter++;
  const keys = await messageKeys(step.messageKey);
  const ciphertext = await aesGcmSeal(
    keys.aesKey,
    keys.nonce,
    plaintext,
    messageAd(s, s.role, header),
  );
  return s.awaitingReply
    ? preKeyMessage(s.preKeyHeader, header, ciphertext)
    : normalMessage(header, ciphertext);
}

function skippedId(ratchetKey, counter) {
  return hex(ratchetKey) + ':' + counter;
}

/**
 * RatchetDecrypt of a parsed envelope ({header, headerBytes, ciphertext}). LateMessage if its skipped key was
 * evicted; DuplicateMessage if its key was used already; DecryptionFailed for anything else.
 */
export async function decrypt(s, message, keys) {
  const { header } = message;
  const ad = messageAd(s, s.role === 'initiator' ? 'responder' : 'initiator', message.headerBytes);
  const id = skippedId(header.ratchetKey, header.counter);
  const skippedKey = s.skipped.get(id);
  if (skippedKey) {
    s.skipped.delete(id);
    return open(s, skippedKey, message.ciphertext, ad);
  }
  if (s.evicted?.includes(id)) {
    throw new LateMessage();
  }
  if (equal(header.ratchetKey, s.receivingRatchetKey)) {
    if (!s.receivingChainKey) {
      throw new DecryptionFailed(); // the initiator's placeholder: the responder's signed prekey
    }
    if (header.counter < s.receiveCounter) {
      throw new DuplicateMessage();
    }
  } else {
    const old = s.previousChains.find((c) => equal(c.ratchetKey, header.ratchetKey));
    if (old) {
      throw header.counter < old.counter ? new DuplicateMessage() : new DecryptionFailed();
    }
    await skip(s, header.previousCounter);
    await dhRatchet(s, header.ratchetKey, keys);
  }
  await skip(s, header.counter);
  const step = await chain(s.receivingChainKey);
  s.receivingChainKey = step.chainKey;
  s.receiveCounter++;
  return open(s, step.messageKey, message.ciphertext, ad);
}

async function open(s, messageKey, ciphertext, ad) {
  const keys = await messageKeys(messageKey);
  const plaintext = await aesGcmOpen(keys.aesKey, keys.nonce, ciphertext, ad);
  s.awaitingReply = false;
  return plaintext;
}

/** Stores a skipped key; beyond MAX_SKIPPED_KEYS the oldest go, their places remembered (at most MAX_EVICTED). */
function addSkipped(s, ratchetKey, counter, messageKey) {
  s.skipped.set(skippedId(ratchetKey, counter), messageKey);
  for (const oldest of s.skipped.keys()) {
    if (s.skipped.size <= MAX_SKIPPED_KEYS) {
      break;
    }
    s.skipped.delete(oldest);
    s.evicted.push(oldest);
  }
  if (s.evicted.length > MAX_EVICTED) {
    s.evicted.splice(0, s.evicted.length - MAX_EVICTED);
  }
}

/** SkipMessageKeys: stores the keys of the current receiving chain up to (not including) `until`. */
async function skip(s, until) {
  if (!s.receivingChainKey) {
    return;
  }
  if (until - s.receiveCounter > MAX_SKIP) {
    throw new DecryptionFailed();
  }
  while (s.receiveCounter < until) {
    const step = await chain(s.receivingChainKey);
    addSkipped(s, s.receivingRatchetKey, s.receiveCounter, step.messageKey);
    s.receivingChainKey = step.chainKey;
    s.receiveCounter++;
  }
}

/** DHRatchet: a new receiving chain for theirRatchetKey, then a new sending chain with a fresh key pair. */
async function dhRatchet(s, theirRatchetKey, keys) {
  if (s.receivingChainKey) {
    s.previousChains.unshift({ ratchetKey: s.receivingRatchetKey, counter: s.receiveCounter });
    s.previousChains.length = Math.min(s.previousChains.length, MAX_PREVIOUS_CHAINS);
  }
  s.previousSendCounter = s.sendCounter;
  s.sendCounter = 0;
  s.receiveCounter = 0;
  s.receivingRatchetKey = theirRatchetKey;
  const receiving = await root(
    s.rootKey,
    await x25519(s.sendingRatchet.privateKey, theirRatchetKey),
  );
  s.sendingRatchet = await keys.next();
  const sending = await root(
    receiving.rootKey,
    await x25519(s.sendingRatchet.privateKey, theirRatchetKey),
  );
  s.receivingChainKey = receiving.chainKey;
  s.rootKey = sending.rootKey;
  s.sendingChainKey = sending.chainKey;
}
