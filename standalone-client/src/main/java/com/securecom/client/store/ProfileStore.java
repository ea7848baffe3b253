package com.securecom.client.store;

import com.securecom.protocol.crypto.Bytes;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Creates and opens profiles. A profile directory holds:
 *
 * <ul>
 *   <li>{@code profile.json}: the {@link ProfileInfo}, in the clear, written once at creation;
 *   <li>{@code state.bin}: the caller's state as one JSON document, encrypted and bound to the
 *       exact bytes of {@code profile.json}. Format (all of it in {@link StateFile}): {@code "SCST"
 *       || 0x01 || salt(16) || m(u32 BE) || t(u32 BE) || p(u8) || nonce(12) || AES-256-GCM
 *       ciphertext || tag(16)}, with key = Argon2id(passphrase UTF-8, salt, m, t, p) and associated
 *       data = bytes 0..41 (everything before the ciphertext) || SHA-256(profile.json);
 *   <li>{@code journal.bin}, if changes were saved since {@code state.bin} was written: the
 *       caller's change records, each sealed under a key derived from the profile key and the
 *       digest of that {@code state.bin}, with its position bound in ({@link JournalFile}); a save
 *       that changed little appends one record and forces it to disk instead of rewriting the whole
 *       state, and {@link OpenProfile#write} folds them back into {@code state.bin};
 *   <li>{@code lock}: locked exclusively while the profile is open for writing ({@link
 *       #openForReading} takes no lock), never deleted;
 *   <li>{@code keyring}, only in a profile made without a passphrase: the name of the OS keyring
 *       entry holding its key ({@link ProfileKeyring}).
 * </ul>
 *
 * <p>{@code state.bin} is written last at creation, so a profile exists once it exists. Both files
 * are only ever replaced whole (see {@link AtomicFiles}), the journal only appended to; temp files
 * an interrupted write left behind are deleted when the profile is next opened, under its lock.
 * Directories are 0700 and files 0600 where POSIX permissions exist.
 *
 * <p>The key is derived once, when a profile is created or opened, and kept in the {@link
 * OpenProfile} until it is closed; writes reuse the salt and cost and draw a fresh nonce. New
 * profiles get {@link Argon2Params#DEFAULT}; a profile made at a weaker cost is re-encrypted at it
 * when it is next opened ({@link CostUpgrade}), unless a journal follows its snapshot (after a
 * crash): the caller compacts it first, and the open after that raises the cost.
 *
 * <p>Passphrases are taken as {@code char[]} and never turned into a {@code String}; clearing the
 * array afterwards is the caller's job. A new profile's passphrase must pass {@link
 * PassphrasePolicy}; opening takes any passphrase.
 */
public final class ProfileStore {
  /** Looked up once: {@code Json.create...} looks the provider up on every call. */
  private static final JsonProvider JSON = JsonProvider.provider();

  static final String INFO_FILE = "profile.json";
  static final String STATE_FILE = "state.bin";
  static final String KEYRING_FILE = "keyring";
  static final String JOURNAL_FILE = "journal.bin";
  private static final Set<String> REPLACED_FILES =
      Set.of(INFO_FILE, STATE_FILE, KEYRING_FILE, JOURNAL_FILE);

  /** How often a reader tries again when the profile changes under it. */
  private static final int READ_ATTEMPTS = 3;

  private ProfileStore() {}

  /** True if {@code dir} holds a profile (whether or not it is intact). */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(STATE_FILE));
  }

  /**
   * {@link #create(Path, ProfileInfo, char[], JsonObject, Argon2Params)} with {@link
   * Argon2Params#DEFAULT}.
   */
  public static OpenProfile create(
      Path dir, ProfileInfo info, char[] passphrase, JsonObject initialState) throws IOException {
    return create(dir, info, passphrase, initialState, Argon2Params.DEFAULT);
  }

  /**
   * Makes a new profile in {@code dir} (creating it and missing parents) and returns it open.
   *
   * @throws WeakPassphraseException if the passphrase fails {@link PassphrasePolicy} (nothing is
   *     created)
   * @throws FileAlreadyExistsException if {@code dir} already holds a profile
   * @throws ProfileLockedException if another process is creating or using a profile there
   */
  public static OpenProfile create(
      Path dir, ProfileInfo info, char[] passphrase, JsonObject initialState, Argon2Params cost)
      throws IOException {
    return create(dir, info, passphrase, initialState, cost, StoreOptions.DEFAULTS);
  }

  static OpenProfile create(
      Path dir,
      ProfileInfo info,
      char[] passphrase,
      JsonObject initialState,
      Argon2Params cost,
      StoreOptions options)
      throws IOException {
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(passphrase, "passphrase");
    Objects.requireNonNull(initialState, "initialState");
    PassphrasePolicy.check(
        passphrase, List.of(info.username(), Objects.toString(info.serverUrl().getHost(), "")));
    AtomicFiles.createPrivateDirectory(dir);
    ProfileLock lock = ProfileLock.acquire(dir);
    OpenProfile profile = null;
    try {
      if (exists(dir)) {
        throw new FileAlreadyExistsException(dir.toString(), null, "a profile already exists here");
      }
      AtomicFiles.removeTemps(dir, REPLACED_FILES);
      byte[] infoBytes = info.toJsonBytes();
      AtomicFiles.replace(dir, INFO_FILE, infoBytes, options.crashPoint());
      byte[] salt = new byte[StateFile.SALT_BYTES];
      options.random().nextBytes(salt);
      byte[] key = PassphraseKey.derive(passphrase, salt, cost);
      profile =
          new OpenProfile(
              dir,
              info,
              Bytes.sha256(infoBytes),
              StateFile.fixedHeader(salt, cost),
              key,
              lock,
              options,
              null,
              null,
              OpenProfile.Journal.NONE);
      profile.write(initialState);
      return profile;
    } catch (IOException | RuntimeException | Error e) {
      if (profile != null) {
        profile.close();
      } else {
        lock.close();
      }
      throw e;
    }
  }

  /**
   * Opens the profile in {@code dir}: locks it, removes stray temp files, derives the key once (it
   * is kept in the returned object) and decrypts the state. A profile at a weaker Argon2id cost
   * than {@link Argon2Params#DEFAULT} is then re-encrypted at it ({@link CostUpgrade}), which costs
   * this one open a second derivation.
   *
   * @throws NoSuchFileException if {@code dir} holds no profile
   * @throws ProfileLockedException if the profile is open elsewhere, in this process or another
   * @throws WrongPassphraseException if the passphrase is wrong or either file was changed or
   *     damaged
   */
  public static OpenProfile open(Path dir, char[] passphrase)
      throws IOException, WrongPassphraseException {
    return open(dir, passphrase, StoreOptions.DEFAULTS);
  }

  static OpenProfile open(Path dir, char[] passphrase, StoreOptions options)
      throws IOException, WrongPassphraseException {
    Objects.requireNonNull(passphrase, "passphrase");
    if (!exists(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "no securecom profile here");
    }
    ProfileLock lock = ProfileLock.acquire(dir);
    byte[] key = null;
    OpenProfile profile = null;
    try {
      AtomicFiles.removeTemps(dir, REPLACED_FILES);
      byte[] infoBytes = readInfoBytes(dir);
      ProfileInfo info = parseInfo(infoBytes);
      byte[] file = Files.readAllBytes(dir.resolve(STATE_FILE));
      StateFile.Header header = StateFile.readHeader(file, options.maxAccepted());
      key = PassphraseKey.derive(passphrase, header.salt(), header.cost());
      byte[] digest = Bytes.sha256(infoBytes);
      JsonObject state = parseState(StateFile.open(key, file, digest));
      OpenProfile.Journal journal = readJournal(dir, key, file, digest);
      profile =
          new OpenProfile(
              dir,
              info,
              digest,
              StateFile.fixedHeader(header.salt(), header.cost()),
              key,
              lock,
              options,
              state,
              file,
              journal);
      if (CostUpgrade.isDue(header.cost(), options) && !profile.hasJournal()) {
        CostUpgrade.apply(profile, passphrase, options);
      }
      return profile;
    } catch (IOException | WrongPassphraseException | RuntimeException | Error e) {
      if (profile != null) {
        profile.close(); // forgets the key and releases the lock
      } else {
        if (key != null) {
          Arrays.fill(key, (byte) 0);
        }
        lock.close();
      }
      throw e;
    }
  }

  /**
   * Opens the profile in {@code dir} for reading only, without its lock, for commands that only
   * show what it holds while another command (a chat) has it open: the state is the snapshot last
   * written and the journal records that followed it, read without a mix of two versions ({@code
   * state.bin} is only ever replaced by a rename, and the journal names the snapshot it follows).
   * If {@code state.bin} changes while it is read (the holder compacted the journal or raised the
   * Argon2id cost), the read starts again, up to three times. Nothing is written or cleaned up, and
   * {@link OpenProfile#write} and {@link OpenProfile#append} refuse.
   *
   * @throws NoSuchFileException if {@code dir} holds no profile
   * @throws WrongPassphraseException if the passphrase is wrong or either file was changed or
   *     damaged
   * @throws ProfileChangedException if the profile kept changing while it was read
   */
  public static OpenProfile openForReading(Path dir, char[] passphrase)
      throws IOException, WrongPassphraseException {
    Objects.requireNonNull(passphrase, "passphrase");
    if (!exists(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "no securecom profile here");
    }
    StoreOptions options = StoreOptions.DEFAULTS;
    byte[] key = null;
    byte[] keyHeader = null;
    try {
      for (int attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
        byte[] infoBytes = readInfoBytes(dir);
        byte[] file = readStateFile(dir);
        StateFile.Header header = StateFile.readHeader(file, options.maxAccepted());
        byte[] fixedHeader = StateFile.fixedHeader(header.salt(), header.cost());
        if (key == null || !Arrays.equals(fixedHeader, keyHeader)) {
          if (key != null) {
            Arrays.fill(key, (byte) 0);
          }
          key = PassphraseKey.derive(passphrase, header.salt(), header.cost());
          keyHeader = fixedHeader;
        }
        byte[] digest = Bytes.sha256(infoBytes);
        try {
          ProfileInfo info = parseInfo(infoBytes);
          JsonObject state = parseState(StateFile.open(key, file, digest));
          OpenProfile.Journal journal = readJournal(dir, key, file, digest);
          if (Arrays.equals(file, readStateFile(dir))) {
            OpenProfile profile =
                new OpenProfile(
                    dir, info, digest, fixedHeader, key, null, options, state, file, journal);
            key = null; // the profile owns it now
            return profile;
          }
        } catch (WrongPassphraseException e) {
          if (Arrays.equals(file, readStateFile(dir))) {
            throw e; // the files did not change: the passphrase is wrong or they are damaged
          }
        }
      }
      throw new ProfileChangedException();
    } finally {
      if (key != null) {
        Arrays.fill(key, (byte) 0);
      }
    }
  }

  private static byte[] readStateFile(Path dir) throws IOException, WrongPassphraseException {
    try {
      return Files.readAllBytes(dir.resolve(STATE_FILE));
    } catch (NoSuchFileException e) {
      throw new WrongPassphraseException();
    }
  }

  /**
   * The journal that follows the snapshot {@code stateFile}: none if there is no {@code
   * journal.bin} or it follows another snapshot (stale, see {@link JournalFile}).
   */
  private static OpenProfile.Journal readJournal(
      Path dir, byte[] key, byte[] stateFile, byte[] profileJsonDigest)
      throws IOException, WrongPassphraseException {
    byte[] file;
    try {
      file = Files.readAllBytes(dir.resolve(JOURNAL_FILE));
    } catch (NoSuchFileException e) {
      return OpenProfile.Journal.NONE;
    }
    byte[] snapshotDigest = Bytes.sha256(stateFile);
    if (!JournalFile.follows(file, snapshotDigest)) {
      return OpenProfile.Journal.NONE;
    }
    byte[] journalKey = JournalFile.key(key, snapshotDigest);
    try {
      JournalFile.Contents contents = JournalFile.read(file, journalKey, profileJsonDigest);
      List<JsonObject> records = new ArrayList<>(contents.records().size());
      for (byte[] record : contents.records()) {
        records.add(parseState(record));
      }
      return new OpenProfile.Journal(
          List.copyOf(records), contents.validLength(), contents.tornTail());
    } finally {
      Arrays.fill(journalKey, (byte) 0);
    }
  }

  /**
   * Reads {@code profile.json} without a passphrase and without verifying it, for listing profiles
   * and prompting. Trust only {@link OpenProfile#info()}, which is checked against the encrypted
   * state.
   *
   * @throws IOException if the file is missing or is not a valid profile description
   */
  public static ProfileInfo readUnverifiedInfo(Path dir) throws IOException {
    try {
      return parseInfo(Files.readAllBytes(dir.resolve(INFO_FILE)));
    } catch (WrongPassphraseException e) {
      throw new IOException("profile.json is damaged");
    }
  }

  private static byte[] readInfoBytes(Path dir) throws IOException, WrongPassphraseException {
    try {
      return Files.readAllBytes(dir.resolve(INFO_FILE));
    } catch (NoSuchFileException e) {
      throw new WrongPassphraseException();
    }
  }

  private static ProfileInfo parseInfo(byte[] bytes) throws WrongPassphraseException {
    try {
      return ProfileInfo.fromJsonBytes(bytes);
    } catch (RuntimeException e) {
      throw new WrongPassphraseException();
    }
  }

  private static JsonObject parseState(byte[] plaintext) throws WrongPassphraseException {
    try (JsonReader reader = JSON.createReader(new ByteArrayInputStream(plaintext))) {
      return reader.readObject();
    } catch (JsonException | IllegalStateException e) {
      throw new WrongPassphraseException();
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }
}
