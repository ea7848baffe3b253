package com.securecom.client.store;

import com.securecom.protocol.crypto.Bytes;
import jakarta.json.JsonObject;
import jakarta.json.JsonWriter;
import jakarta.json.spi.JsonProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A profile opened with its passphrase: it holds the profile's lock and the derived key until
 * {@link #close()}. Writes are serialized. There are two kinds:
 *
 * <ul>
 *   <li>{@link #write} (a snapshot) encrypts the whole state under a fresh random nonce, replaces
 *       {@code state.bin} atomically and starts a new, empty journal;
 *   <li>{@link #append} seals one change record, appends it to {@code journal.bin} and forces it to
 *       disk ({@link JournalFile}): what a save costs when it changed little. The store does not
 *       interpret records; the caller applies {@link #journal()} to {@link #state()} at open and
 *       writes a snapshot from time to time (when {@link #append} answers false, and at close).
 * </ul>
 *
 * <p>A profile opened {@linkplain ProfileStore#openForReading for reading} holds no lock and
 * refuses {@link #write} and {@link #append} with {@link ProfileLockedException}: its state is the
 * one last written when it was opened.
 *
 * <p>If a write or an append throws, the profile holds either the old or the new state, and this
 * object cannot tell which: it then refuses {@link #state()}, {@link #write} and {@link #append}
 * (IllegalStateException) until the caller closes it and opens the profile again, which reads
 * whichever is on disk. Acting on a guessed state could reuse ratchet keys.
 */
public final class OpenProfile implements AutoCloseable {
  /** Looked up once: {@code Json.create...} looks the provider up on every call. */
  private static final JsonProvider JSON = JsonProvider.provider();

  /** A journal at most this long, or twice the snapshot, is appended to; beyond, compact. */
  static final long MIN_COMPACTION_BYTES = 1 << 20;

  private final Path directory;
  private final ProfileInfo info;
  private final byte[] profileJsonDigest;
  private byte[] fixedHeader;
  private byte[] key;

  /** Null when opened for reading only. */
  private final ProfileLock lock;

  private final StoreOptions options;
  private JsonObject state;
  private boolean failed;
  private boolean closed;

  /** The records that followed the snapshot when the profile was opened. */
  private List<JsonObject> journalAtOpen;

  private byte[] journalKey;
  private byte[] journalHeader;
  private long snapshotBytes;

  /** Records and bytes in {@code journal.bin} for this snapshot; 0 bytes when there is none. */
  private long journalRecords;

  private long journalBytes;

  /** The journal ends in a torn record: the next save must be a snapshot. */
  private boolean journalTorn;

  private FileChannel journalChannel;

  /** The journal read at open: its records, its valid length (0 if none) and a torn tail. */
  record Journal(List<JsonObject> records, long length, boolean torn) {
    static final Journal NONE = new Journal(List.of(), 0, false);
  }

  OpenProfile(
      Path directory,
      ProfileInfo info,
      byte[] profileJsonDigest,
      byte[] fixedHeader,
      byte[] key,
      ProfileLock lock,
      StoreOptions options,
      JsonObject state,
      byte[] snapshotFile,
      Journal journal) {
    this.directory = directory;
    this.info = info;
    this.profileJsonDigest = profileJsonDigest;
    this.fixedHeader = fixedHeader;
    this.key = key;
    this.lock = lock;
    this.options = options;
    this.state = state;
    if (snapshotFile != null) {
      followSnapshot(snapshotFile);
      this.journalAtOpen = journal.records();
      this.journalRecords = journal.records().size();
      this.journalBytes = journal.length();
      this.journalTorn = journal.torn();
    } else {
      this.journalAtOpen = List.of();
    }
  }

  public Path directory() {
    return directory;
  }

  /** The profile's facts as verified when it was opened. */
  public ProfileInfo info() {
    return info;
  }

  /**
   * The state of the last snapshot: the one last {@link #write written}, or read at open (to which
   * the caller applies {@link #journal()}).
   */
  public synchronized JsonObject state() {
    checkUsable();
    return state;
  }

  /** The change records that followed the snapshot when the profile was opened, oldest first. */
  public synchronized List<JsonObject> journal() {
    checkUsable();
    return journalAtOpen;
  }

  /**
   * True if {@code state.bin} alone is not the profile's state: records were appended since the
   * last snapshot, or the journal ends in a torn record. The caller then writes a snapshot before
   * it closes.
   */
  public synchronized boolean hasJournal() {
    return journalRecords > 0 || journalTorn;
  }

  /** True until it is closed or a write fails (see the class comment). */
  public synchronized boolean isUsable() {
    return !closed && !failed;
  }

  /** True if opened for reading only (no lock: {@link #write} and {@link #append} refuse). */
  public boolean isReadOnly() {
    return lock == null;
  }

  /**
   * Encrypts {@code newState} and makes it, durably and atomically, the profile's state (a
   * snapshot); the journal starts again, empty.
   *
   * @throws ProfileLockedException if the profile was opened for reading only (another one holds
   *     its lock)
   */
  public synchronized void write(JsonObject newState) throws IOException {
    Objects.requireNonNull(newState, "newState");
    checkWritable();
    failed = true;
    byte[] file = replaceStateFile(newState, fixedHeader, key);
    state = newState;
    startNewJournal(file);
    failed = false;
  }

  /**
   * Seals {@code change} as the next journal record and appends it durably (forced to disk before
   * this returns); false, with nothing written, if the journal must first be compacted by a {@link
   * #write} (it is long, or ends in a torn record).
   *
   * @throws ProfileLockedException if the profile was opened for reading only
   */
  public synchronized boolean append(JsonObject change) throws IOException {
    Objects.requireNonNull(change, "change");
    checkWritable();
    if (journalTorn || journalBytes > Math.max(MIN_COMPACTION_BYTES, 2 * snapshotBytes)) {
      return false;
    }
    byte[] plaintext = serialize(change);
    byte[] record;
    try {
      record =
          JournalFile.seal(journalKey, journalHeader, journalRecords, profileJsonDigest, plaintext);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
    failed = true;
    if (journalChannel == null) {
      if (journalBytes == 0) {
        AtomicFiles.replace(
            directory, ProfileStore.JOURNAL_FILE, journalHeader, options.crashPoint());
        journalBytes = journalHeader.length;
      }
      journalChannel =
          FileChannel.open(
              directory.resolve(ProfileStore.JOURNAL_FILE),
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND);
    }
    ByteBuffer buffer = ByteBuffer.wrap(record);
    while (buffer.hasRemaining()) {
      journalChannel.write(buffer);
    }
    options.crashPoint().reached(ProfileStore.JOURNAL_FILE, CrashPoint.Step.APPENDED);
    journalChannel.force(false);
    journalRecords++;
    journalBytes += record.length;
    failed = false;
    return true;
  }

  /**
   * Re-encrypts the current state under {@code newKey} and {@code newFixedHeader} (a new salt and
   * Argon2id cost for the same passphrase) and keeps them for later writes. Takes ownership of
   * {@code newKey}. Only for a profile whose state is its snapshot alone ({@link #hasJournal()}
   * false): the journal would not survive the new key.
   *
   * <p>If this throws, {@code state.bin} holds the same state under the old or the new key, and
   * either opens with the passphrase; this object keeps the old key and header and stays usable
   * (the state did not change).
   */
  synchronized void rekey(byte[] newFixedHeader, byte[] newKey) throws IOException {
    checkUsable();
    if (hasJournal()) {
      Arrays.fill(newKey, (byte) 0);
      throw new IllegalStateException("write a snapshot before changing the key");
    }
    byte[] file;
    try {
      file = replaceStateFile(state, newFixedHeader, newKey);
    } catch (IOException | RuntimeException | Error e) {
      Arrays.fill(newKey, (byte) 0);
      throw e;
    }
    Arrays.fill(key, (byte) 0);
    key = newKey;
    fixedHeader = newFixedHeader;
    startNewJournal(file);
  }

  private byte[] replaceStateFile(JsonObject content, byte[] header, byte[] withKey)
      throws IOException {
    byte[] plaintext = serialize(content);
    byte[] file = StateFile.seal(withKey, header, profileJsonDigest, plaintext);
    Arrays.fill(plaintext, (byte) 0);
    AtomicFiles.replace(directory, ProfileStore.STATE_FILE, file, options.crashPoint());
    return file;
  }

  /**
   * The snapshot {@code file} is on disk: later records go to a new journal that follows it. The
   * old journal is stale now (it follows the old snapshot) and is deleted; a crash before that
   * leaves it to be ignored at the next open.
   */
  private void startNewJournal(byte[] file) throws IOException {
    if (journalChannel != null) {
      journalChannel.close();
      journalChannel = null;
    }
    followSnapshot(file);
    journalAtOpen = List.of();
    journalRecords = 0;
    journalBytes = 0;
    journalTorn = false;
    Files.deleteIfExists(directory.resolve(ProfileStore.JOURNAL_FILE));
  }

  private void followSnapshot(byte[] snapshotFile) {
    byte[] digest = Bytes.sha256(snapshotFile);
    if (journalKey != null) {
      Arrays.fill(journalKey, (byte) 0);
    }
    journalKey = JournalFile.key(key, digest);
    journalHeader = JournalFile.header(digest);
    snapshotBytes = snapshotFile.length;
  }

  /**
   * Forgets the keys (best effort: the JDK keeps its own copies) and releases the lock. Idempotent.
   */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    state = null;
    journalAtOpen = List.of();
    Arrays.fill(key, (byte) 0);
    if (journalKey != null) {
      Arrays.fill(journalKey, (byte) 0);
    }
    try {
      if (journalChannel != null) {
        journalChannel.close();
      }
    } finally {
      if (lock != null) {
        lock.close();
      }
    }
  }

  private void checkWritable() throws ProfileLockedException {
    checkUsable();
    if (lock == null) {
      throw new ProfileLockedException();
    }
  }

  private void checkUsable() {
    if (closed) {
      throw new IllegalStateException("profile is closed");
    }
    if (failed) {
      throw new IllegalStateException("a write failed; close and reopen the profile");
    }
  }

  private static byte[] serialize(JsonObject state) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonWriter writer = JSON.createWriter(out)) {
      writer.writeObject(state);
    }
    return out.toByteArray();
  }
}
