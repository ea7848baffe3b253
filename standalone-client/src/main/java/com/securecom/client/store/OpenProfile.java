package com.securecom.client.store;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A profile opened with its passphrase: it holds the profile's lock and the derived key until
 * {@link #close()}. Writes are serialized; each one encrypts the whole state under a fresh random
 * nonce and replaces {@code state.bin} atomically.
 *
 * <p>A profile opened {@linkplain ProfileStore#openForReading for reading} holds no lock and
 * refuses {@link #write} with {@link ProfileLockedException}: its state is the one last written
 * when it was opened.
 *
 * <p>If {@link #write} throws, {@code state.bin} holds either the old or the new state, and this
 * object cannot tell which: it then refuses {@link #state()} and {@link #write}
 * (IllegalStateException) until the caller closes it and opens the profile again, which reads
 * whichever is on disk. Acting on a guessed state could reuse ratchet keys.
 */
public final class OpenProfile implements AutoCloseable {
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

  OpenProfile(
      Path directory,
      ProfileInfo info,
      byte[] profileJsonDigest,
      byte[] fixedHeader,
      byte[] key,
      ProfileLock lock,
      StoreOptions options,
      JsonObject state) {
    this.directory = directory;
    this.info = info;
    this.profileJsonDigest = profileJsonDigest;
    this.fixedHeader = fixedHeader;
    this.key = key;
    this.lock = lock;
    this.options = options;
    this.state = state;
  }

  public Path directory() {
    return directory;
  }

  /** The profile's facts as verified when it was opened. */
  public ProfileInfo info() {
    return info;
  }

  /** The state last written (or read at open). */
  public synchronized JsonObject state() {
    checkUsable();
    return state;
  }

  /**
   * Encrypts {@code newState} and makes it, durably and atomically, the profile's state.
   *
   * @throws ProfileLockedException if the profile was opened for reading only (another one holds
   *     its lock)
   */
  public synchronized void write(JsonObject newState) throws IOException {
    Objects.requireNonNull(newState, "newState");
    checkUsable();
    if (lock == null) {
      throw new ProfileLockedException();
    }
    failed = true;
    replaceStateFile(newState, fixedHeader, key);
    state = newState;
    failed = false;
  }

  /**
   * Re-encrypts the current state under {@code newKey} and {@code newFixedHeader} (a new salt and
   * Argon2id cost for the same passphrase) and keeps them for later writes. Takes ownership of
   * {@code newKey}.
   *
   * <p>If this throws, {@code state.bin} holds the same state under the old or the new key, and
   * either opens with the passphrase; this object keeps the old key and header and stays usable
   * (the state did not change).
   */
  synchronized void rekey(byte[] newFixedHeader, byte[] newKey) throws IOException {
    checkUsable();
    try {
      replaceStateFile(state, newFixedHeader, newKey);
    } catch (IOException | RuntimeException | Error e) {
      Arrays.fill(newKey, (byte) 0);
      throw e;
    }
    Arrays.fill(key, (byte) 0);
    key = newKey;
    fixedHeader = newFixedHeader;
  }

  private void replaceStateFile(JsonObject content, byte[] header, byte[] withKey)
      throws IOException {
    byte[] plaintext = serialize(content);
    byte[] file = StateFile.seal(withKey, header, profileJsonDigest, plaintext);
    Arrays.fill(plaintext, (byte) 0);
    AtomicFiles.replace(directory, ProfileStore.STATE_FILE, file, options.crashPoint());
  }

  /**
   * Forgets the key (best effort: the JDK keeps its own copies) and releases the lock. Idempotent.
   */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    state = null;
    Arrays.fill(key, (byte) 0);
    if (lock != null) {
      lock.close();
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
    try (JsonWriter writer = Json.createWriter(out)) {
      writer.writeObject(state);
    }
    return out.toByteArray();
  }
}
