package com.securecom.client.e2e;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.crypto.internal.InsecureNonceAesGcm;
import java.util.Arrays;

/**
 * The Double Ratchet (Perrin and Marlinspike, "The Double Ratchet Algorithm", revision 1) over a
 * {@link SessionState}, with the KDFs of {@link Kdf}. Every method mutates the state it is given;
 * {@link Session} hands {@link #decrypt} a copy and keeps it only if the message authenticated.
 */
final class DoubleRatchet {
  private static final byte FROM_INITIATOR = 0x01;
  private static final byte FROM_RESPONDER = 0x02;

  private DoubleRatchet() {}

  /** RatchetInitAlice, with the responder's signed prekey as its first ratchet public key. */
  static void initInitiator(
      SessionState s, byte[] sharedSecret, byte[] theirSignedPreKey, KeySource keys)
      throws DecryptionFailedException {
    s.sendingRatchet = keys.next();
    s.receivingRatchetKey = theirSignedPreKey.clone();
    Kdf.RootStep step =
        Kdf.root(sharedSecret, X25519.agree(s.sendingRatchet.privateKey(), theirSignedPreKey));
    s.rootKey = step.rootKey();
    s.sendingChainKey = step.chainKey();
  }

  /** RatchetInitBob: the signed prekey pair is the first ratchet key pair. */
  static void initResponder(SessionState s, byte[] sharedSecret, X25519.KeyPair signedPreKey) {
    s.sendingRatchet = signedPreKey;
    s.rootKey = sharedSecret;
  }

  /**
   * RatchetEncrypt: a PreKey message while the initiator awaits a reply, a normal message
   * otherwise.
   */
  static Envelope encrypt(SessionState s, byte[] plaintext) {
    if (s.sendingChainKey == null) {
      throw new IllegalStateException("this session cannot send before it has received");
    }
    if (s.sendCounter > MessageHeader.MAX_COUNTER) {
      throw new IllegalStateException("sending chain exhausted");
    }
    Kdf.ChainStep step = Kdf.chain(s.sendingChainKey);
    MessageHeader header =
        new MessageHeader(s.sendingRatchet.publicKey(), s.previousSendCounter, s.sendCounter);
    s.sendingChainKey = step.chainKey();
    s.sendCounter++;
    Kdf.MessageKeys keys = Kdf.message(step.messageKey());
    byte[] ciphertext =
        new InsecureNonceAesGcm(keys.aesKey())
            .seal(keys.nonce(), plaintext, messageAd(s, s.role, header));
    return s.awaitingReply
        ? new Envelope.PreKeyMessage(s.preKeyHeader, header, ciphertext)
        : new Envelope.NormalMessage(header, ciphertext);
  }

  /**
   * RatchetDecrypt.
   *
   * @throws DuplicateMessageException if the header names a message whose key was used already
   * @throws LateMessageException if the header names a message whose skipped key was evicted for
   *     room
   * @throws DecryptionFailedException for anything else: a header that would skip too many keys, an
   *     old chain beyond its end, a small-order ratchet key, or a ciphertext that does not
   *     authenticate
   */
  static byte[] decrypt(SessionState s, MessageHeader header, byte[] ciphertext, KeySource keys)
      throws DecryptionFailedException, DuplicateMessageException, LateMessageException {
    byte[] ad =
        messageAd(
            s,
            s.role == SessionState.Role.INITIATOR
                ? SessionState.Role.RESPONDER
                : SessionState.Role.INITIATOR,
            header);
    SessionState.SkippedId place =
        new SessionState.SkippedId(header.ratchetKey(), header.counter());
    byte[] skippedKey = s.skipped.remove(place);
    if (skippedKey != null) {
      return open(s, skippedKey, ciphertext, ad);
    }
    if (s.evicted.contains(place)) {
      throw new LateMessageException();
    }
    if (Arrays.equals(header.ratchetKey(), s.receivingRatchetKey)) {
      if (s.receivingChainKey == null) {
        throw new DecryptionFailedException(); // the initiator's placeholder: the responder's
        // signed prekey
      }
      if (header.counter() < s.receiveCounter) {
        throw new DuplicateMessageException();
      }
    } else {
      for (SessionState.ChainEnd old : s.previousChains) {
        if (Arrays.equals(header.ratchetKey(), old.ratchetKey())) {
          if (header.counter() < old.counter()) {
            throw new DuplicateMessageException();
          }
          throw new DecryptionFailedException();
        }
      }
      skip(s, header.previousCounter());
      ratchet(s, header.ratchetKey(), keys);
    }
    skip(s, header.counter());
    Kdf.ChainStep step = Kdf.chain(s.receivingChainKey);
    s.receivingChainKey = step.chainKey();
    s.receiveCounter++;
    return open(s, step.messageKey(), ciphertext, ad);
  }

  /** Per-message associated data: {@code AD || direction || header}. */
  static byte[] messageAd(SessionState s, SessionState.Role sender, MessageHeader header) {
    byte direction = sender == SessionState.Role.INITIATOR ? FROM_INITIATOR : FROM_RESPONDER;
    return Bytes.concat(s.associatedData(), new byte[] {direction}, header.toBytes());
  }

  private static byte[] open(SessionState s, byte[] messageKey, byte[] ciphertext, byte[] ad)
      throws DecryptionFailedException {
    Kdf.MessageKeys keys = Kdf.message(messageKey);
    byte[] plaintext = new InsecureNonceAesGcm(keys.aesKey()).open(keys.nonce(), ciphertext, ad);
    s.awaitingReply = false;
    return plaintext;
  }

  /**
   * SkipMessageKeys: stores the keys of the current receiving chain up to (not including) {@code
   * until}.
   */
  private static void skip(SessionState s, long until) throws DecryptionFailedException {
    if (s.receivingChainKey == null) {
      return;
    }
    if (until - s.receiveCounter > SessionState.MAX_SKIP) {
      throw new DecryptionFailedException();
    }
    while (s.receiveCounter < until) {
      Kdf.ChainStep step = Kdf.chain(s.receivingChainKey);
      s.addSkipped(s.receivingRatchetKey, s.receiveCounter, step.messageKey());
      s.receivingChainKey = step.chainKey();
      s.receiveCounter++;
    }
  }

  /**
   * DHRatchet: a new receiving chain for {@code theirRatchetKey}, then a new sending chain with a
   * fresh key pair.
   */
  private static void ratchet(SessionState s, byte[] theirRatchetKey, KeySource keys)
      throws DecryptionFailedException {
    if (s.receivingChainKey != null) {
      s.addPreviousChain(new SessionState.ChainEnd(s.receivingRatchetKey, s.receiveCounter));
    }
    s.previousSendCounter = s.sendCounter;
    s.sendCounter = 0;
    s.receiveCounter = 0;
    s.receivingRatchetKey = theirRatchetKey.clone();
    Kdf.RootStep receiving =
        Kdf.root(s.rootKey, X25519.agree(s.sendingRatchet.privateKey(), theirRatchetKey));
    s.sendingRatchet = keys.next();
    Kdf.RootStep sending =
        Kdf.root(receiving.rootKey(), X25519.agree(s.sendingRatchet.privateKey(), theirRatchetKey));
    s.receivingChainKey = receiving.chainKey();
    s.rootKey = sending.rootKey();
    s.sendingChainKey = sending.chainKey();
  }
}
