package com.securecom.client.store;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.crypto.RandomNonceAesGcm;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The {@code state.bin} format, version 1. Integers are unsigned big-endian.
 *
 * <pre>
 * offset  size  field
 *      0     4  magic, ASCII "SCST"
 *      4     1  version, 0x01
 *      5    16  Argon2id salt (random, chosen when the profile is created)
 *     21     4  m, Argon2id memory in KiB (u32)
 *     25     4  t, Argon2id iterations (u32)
 *     29     1  p, Argon2id lanes (u8)
 *     30    12  nonce, fresh random bytes on every write (chosen by {@link RandomNonceAesGcm})
 *     42   n+16 AES-256-GCM ciphertext of the state (UTF-8 JSON, n bytes) followed by the 16-byte tag
 * </pre>
 *
 * <p>key = Argon2id(passphrase as UTF-8, salt, m, t, p, version 0x13) with a 32-byte output.
 *
 * <p>associated data = bytes 0..41 of the file (magic, version, salt, m, t, p and nonce: everything
 * before the ciphertext) || SHA-256(the exact bytes of {@code profile.json}). A change to any
 * header byte, to the ciphertext, or to {@code profile.json} (which holds the pinned server key in
 * the clear) therefore fails the tag check.
 *
 * <p>This is {@link RandomNonceAesGcm}'s record with the fixed header as its header and the digest
 * as its associated data. Nonces are random rather than counted because the file is rewritten by
 * whichever process opens it. Random 96-bit nonces are safe for fewer than 2^32 writes under one
 * key (NIST SP 800-38D, section 8.3); a profile keeps its key for its lifetime and writes once per
 * state change, many orders of magnitude fewer.
 *
 * <p>Not detected: replacing {@code state.bin} with an older {@code state.bin} of the same profile
 * (a rollback); that would need a counter kept somewhere the attacker cannot write.
 */
final class StateFile {
  static final byte[] MAGIC = Bytes.ascii("SCST");
  static final byte VERSION = 0x01;
  static final int SALT_BYTES = 16;

  /**
   * Length of magic, version, salt, m, t and p: the part of the header that is fixed for a profile.
   */
  static final int FIXED_HEADER_BYTES = 4 + 1 + SALT_BYTES + 4 + 4 + 1;

  /** Offset of the ciphertext; every byte before it is associated data. */
  static final int HEADER_BYTES = FIXED_HEADER_BYTES + RandomNonceAesGcm.NONCE_BYTES;

  /** The parts of a header that are fixed for a profile. */
  record Header(byte[] salt, Argon2Params cost) {}

  private StateFile() {}

  /** Magic, version, salt, m, t and p: bytes 0..29 of every file of this profile. */
  static byte[] fixedHeader(byte[] salt, Argon2Params cost) {
    if (salt.length != SALT_BYTES) {
      throw new IllegalArgumentException("salt must be 16 bytes");
    }
    return ByteBuffer.allocate(FIXED_HEADER_BYTES)
        .put(MAGIC)
        .put(VERSION)
        .put(salt)
        .putInt(cost.memoryKib())
        .putInt(cost.iterations())
        .put((byte) cost.parallelism())
        .array();
  }

  /**
   * The whole file: {@code fixedHeader}, a fresh random nonce, then the sealed {@code plaintext}.
   */
  static byte[] seal(byte[] key, byte[] fixedHeader, byte[] profileJsonDigest, byte[] plaintext) {
    return new RandomNonceAesGcm(key).seal(fixedHeader, plaintext, profileJsonDigest);
  }

  /**
   * Reads the unauthenticated header, refusing anything malformed or costlier than {@code ceiling}
   * before any key is derived from it.
   */
  static Header readHeader(byte[] file, Argon2Params ceiling) throws WrongPassphraseException {
    if (file.length < HEADER_BYTES + RandomNonceAesGcm.TAG_BYTES
        || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
        || file[MAGIC.length] != VERSION) {
      throw new WrongPassphraseException();
    }
    ByteBuffer in = ByteBuffer.wrap(file, MAGIC.length + 1, FIXED_HEADER_BYTES - MAGIC.length - 1);
    byte[] salt = new byte[SALT_BYTES];
    in.get(salt);
    long memoryKib = Integer.toUnsignedLong(in.getInt());
    long iterations = Integer.toUnsignedLong(in.getInt());
    int parallelism = Byte.toUnsignedInt(in.get());
    if (memoryKib > ceiling.memoryKib()
        || iterations > ceiling.iterations()
        || parallelism > ceiling.parallelism()) {
      throw new WrongPassphraseException();
    }
    try {
      return new Header(salt, new Argon2Params((int) memoryKib, (int) iterations, parallelism));
    } catch (IllegalArgumentException e) {
      throw new WrongPassphraseException();
    }
  }

  /** The plaintext, if the tag verifies under {@code key} and the associated data. */
  static byte[] open(byte[] key, byte[] file, byte[] profileJsonDigest)
      throws WrongPassphraseException {
    try {
      return new RandomNonceAesGcm(key).open(file, FIXED_HEADER_BYTES, profileJsonDigest);
    } catch (DecryptionFailedException e) {
      throw new WrongPassphraseException();
    }
  }
}
