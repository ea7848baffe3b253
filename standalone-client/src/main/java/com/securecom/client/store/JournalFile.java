package com.securecom.client.store;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.crypto.Hkdf;
import com.securecom.protocol.crypto.RandomNonceAesGcm;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code journal.bin} format, version 1: the changes made since {@code state.bin} was last
 * written, appended one sealed record per save. Integers are unsigned big-endian.
 *
 * <pre>
 * header  (37 bytes)  magic ASCII "SCJL" || version 0x01 || snapshot = SHA-256(the exact bytes of state.bin)
 * record i (i = 0, 1, ...)  length (u32, n + 28) || nonce (12, random) || AES-256-GCM ciphertext (n) || tag (16)
 * </pre>
 *
 * <p>key = HKDF-SHA256(ikm = the profile key, salt = snapshot, info = "securecom profile journal
 * v1", 32 bytes): a fresh key for each {@code state.bin}, since every write of it draws a fresh
 * nonce and so has a digest never seen before.
 *
 * <p>associated data of record i = header || i (u64) || length (u32) || SHA-256(profile.json). So a
 * record opens only at its own position, in the journal of its own snapshot, of its own profile: a
 * reordered, repeated, spliced or foreign record fails, as does any changed bit.
 *
 * <p>Nonces are random ({@link RandomNonceAesGcm}), never a counter, so no sequence of crashes and
 * retries can repeat one under a key; a journal is compacted into {@code state.bin} long before it
 * nears 2^32 records.
 *
 * <p>Reading: records are taken in order until the end. An incomplete last record, or a last record
 * that does not open, is a write the process did not finish (it crashed before the record was
 * forced to disk, so nothing acted on it): it is dropped and reported as a torn tail. A record that
 * does not open while more bytes follow is damage or tampering, and the whole profile is refused. A
 * journal whose snapshot digest is not that of {@code state.bin} is stale (a crash came after a
 * compaction replaced {@code state.bin} and before the journal was deleted) and is ignored.
 *
 * <p>Not detected, as for {@code state.bin}: cutting whole records off the end (a rollback to an
 * earlier state of the same profile).
 */
final class JournalFile {
  static final byte[] MAGIC = Bytes.ascii("SCJL");
  static final byte VERSION = 0x01;
  static final int HEADER_BYTES = 4 + 1 + 32;

  /** Largest record accepted: far above any real change, bounds what a damaged file costs. */
  static final int MAX_RECORD_BYTES = 16 << 20;

  private static final int LENGTH_BYTES = 4;
  private static final int MIN_RECORD_BYTES =
      RandomNonceAesGcm.NONCE_BYTES + RandomNonceAesGcm.TAG_BYTES;
  private static final byte[] KEY_INFO = Bytes.ascii("securecom profile journal v1");
  private static final byte[] NO_HEADER = new byte[0];

  /**
   * What a journal held: the plaintexts of its records in order, the length of the part that was
   * read (header and whole records), and whether a torn record followed.
   */
  record Contents(List<byte[]> records, long validLength, boolean tornTail) {
    static final Contents EMPTY = new Contents(List.of(), 0, false);
  }

  private JournalFile() {}

  /** The header of the journal that follows the {@code state.bin} with this digest. */
  static byte[] header(byte[] snapshotDigest) {
    return ByteBuffer.allocate(HEADER_BYTES).put(MAGIC).put(VERSION).put(snapshotDigest).array();
  }

  /** The key of the journal that follows the {@code state.bin} with this digest. */
  static byte[] key(byte[] profileKey, byte[] snapshotDigest) {
    return Hkdf.sha256(profileKey, snapshotDigest, KEY_INFO, RandomNonceAesGcm.KEY_BYTES);
  }

  /** Record {@code index} of the journal with {@code header}: its length, then the sealed bytes. */
  static byte[] seal(
      byte[] journalKey, byte[] header, long index, byte[] profileJsonDigest, byte[] plaintext) {
    int length = plaintext.length + MIN_RECORD_BYTES;
    if (length > MAX_RECORD_BYTES) {
      throw new IllegalArgumentException("a journal record may hold at most 16 MiB");
    }
    byte[] sealed =
        new RandomNonceAesGcm(journalKey)
            .seal(NO_HEADER, plaintext, associatedData(header, index, length, profileJsonDigest));
    return ByteBuffer.allocate(LENGTH_BYTES + sealed.length).putInt(length).put(sealed).array();
  }

  /**
   * True if {@code file} is a journal of the {@code state.bin} with this digest; false if it is a
   * stale one of another.
   *
   * @throws WrongPassphraseException if it is no journal at all
   */
  static boolean follows(byte[] file, byte[] snapshotDigest) throws WrongPassphraseException {
    if (file.length < HEADER_BYTES
        || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
        || file[MAGIC.length] != VERSION) {
      throw new WrongPassphraseException();
    }
    return Arrays.equals(file, MAGIC.length + 1, HEADER_BYTES, snapshotDigest, 0, 32);
  }

  /**
   * The records of {@code file}, a journal that {@link #follows} its snapshot.
   *
   * @throws WrongPassphraseException if a record that is not the last does not open
   */
  static Contents read(byte[] file, byte[] journalKey, byte[] profileJsonDigest)
      throws WrongPassphraseException {
    byte[] header = Arrays.copyOf(file, HEADER_BYTES);
    RandomNonceAesGcm gcm = new RandomNonceAesGcm(journalKey);
    List<byte[]> records = new ArrayList<>();
    int position = HEADER_BYTES;
    while (position < file.length) {
      if (file.length - position < LENGTH_BYTES) {
        return new Contents(records, position, true);
      }
      int length = ByteBuffer.wrap(file, position, LENGTH_BYTES).getInt();
      long end = (long) position + LENGTH_BYTES + Integer.toUnsignedLong(length);
      if (end > file.length) {
        return new Contents(records, position, true); // the last record was not written whole
      }
      try {
        if (length < MIN_RECORD_BYTES || length > MAX_RECORD_BYTES) {
          throw new DecryptionFailedException();
        }
        byte[] sealed = Arrays.copyOfRange(file, position + LENGTH_BYTES, (int) end);
        records.add(
            gcm.open(sealed, 0, associatedData(header, records.size(), length, profileJsonDigest)));
      } catch (DecryptionFailedException e) {
        if (end == file.length) {
          return new Contents(records, position, true); // an unfinished last write
        }
        throw new WrongPassphraseException();
      }
      position = (int) end;
    }
    return new Contents(records, position, false);
  }

  private static byte[] associatedData(
      byte[] header, long index, int length, byte[] profileJsonDigest) {
    return ByteBuffer.allocate(header.length + 8 + 4 + profileJsonDigest.length)
        .put(header)
        .putLong(index)
        .putInt(length)
        .put(profileJsonDigest)
        .array();
  }
}
