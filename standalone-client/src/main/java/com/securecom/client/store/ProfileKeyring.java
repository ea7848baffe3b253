package com.securecom.client.store;

import com.securecom.client.keyring.Keyring;
import com.securecom.client.keyring.KeyringException;
import com.securecom.protocol.crypto.Bytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Profiles without a passphrase ({@code securecom register --no-passphrase}): a random 256-bit key,
 * kept in the OS keyring, stands in for the passphrase, and a {@code keyring} file beside {@code
 * state.bin} names its keyring entry (a random id, not secret). The key goes through the same
 * Argon2id and AES-256-GCM as a passphrase would, so the file format is the same and so are the
 * cost upgrade and the crash safety.
 *
 * <p>Such a profile is as safe as the keyring: whoever can read this user's unlocked keyring can
 * open it, and a copy of the profile alone is useless (2^256 keys). The {@code keyring} file is not
 * authenticated, and needs not be: changing or deleting it can only make opening fail.
 *
 * <p>Order at creation: the keyring entry, then the {@code keyring} file, then the profile. A crash
 * leaves at worst an entry or a file without a profile: {@link #discardStale} removes them before a
 * passphrase profile is made there, and {@code newKey} replaces the file.
 */
public final class ProfileKeyring {
  private static final int KEY_BYTES = 32;
  private static final int ENTRY_BYTES = 16;

  private ProfileKeyring() {}

  /**
   * True if the profile in {@code dir} keeps its key in the OS keyring (no passphrase to ask for).
   */
  public static boolean isKeyringProfile(Path dir) {
    return Files.isRegularFile(dir.resolve(ProfileStore.KEYRING_FILE));
  }

  /**
   * A key made for a profile not created yet, and the name of the keyring entry that holds it (not
   * secret).
   */
  public record NewKey(String entry, char[] key) {}

  /**
   * Makes a random key for a new profile in {@code dir}, stores it in {@code keyring} and records
   * the entry in {@code dir}; pass the key to {@link ProfileStore#create} as the passphrase, and
   * clear it afterwards. If the profile is then not made, {@link #discardUnused(Path, Keyring,
   * String)} removes the entry.
   *
   * @param label what the keyring shows the user, e.g. "SecureCom profile key of alice at
   *     chat.example.org"
   * @throws FileAlreadyExistsException if {@code dir} already holds a profile (the keyring is not
   *     touched)
   * @throws KeyringException if the keyring refused (no keyring running)
   */
  public static NewKey newKey(Path dir, Keyring keyring, String label, SecureRandom random)
      throws IOException {
    AtomicFiles.createPrivateDirectory(dir);
    ProfileLock lock = ProfileLock.acquire(dir);
    try {
      if (ProfileStore.exists(dir)) {
        throw new FileAlreadyExistsException(dir.toString(), null, "a profile already exists here");
      }
      byte[] entryBytes = new byte[ENTRY_BYTES];
      random.nextBytes(entryBytes);
      String entry = HexFormat.of().formatHex(entryBytes);
      char[] key = randomKey(random);
      try {
        keyring.store(entry, label, key);
      } catch (IOException | RuntimeException e) {
        Arrays.fill(key, '\0');
        throw e;
      }
      try {
        AtomicFiles.replace(
            dir, ProfileStore.KEYRING_FILE, Bytes.ascii(entry + "\n"), CrashPoint.NONE);
        return new NewKey(entry, key);
      } catch (IOException | RuntimeException e) {
        Arrays.fill(key, '\0');
        try {
          keyring.clear(entry);
        } catch (IOException cleanup) {
          e.addSuppressed(cleanup);
        }
        throw e;
      }
    } finally {
      lock.close();
    }
  }

  /**
   * The key of the keyring profile in {@code dir}, for {@link ProfileStore#open}; clear it
   * afterwards.
   *
   * @throws KeyringException if the keyring has no such entry or cannot be read
   */
  public static char[] key(Path dir, Keyring keyring) throws IOException {
    String entry =
        entry(dir).orElseThrow(() -> new KeyringException("this profile has no OS keyring entry"));
    return keyring
        .lookup(entry)
        .orElseThrow(
            () ->
                new KeyringException(
                    "the OS keyring holds no key for the"
                        + " profile at "
                        + dir
                        + " (it was made with --no-passphrase, on this account's keyring)"));
  }

  /**
   * After a creation that failed: if {@code dir} holds no profile, removes the keyring {@code
   * entry} that {@link #newKey} made and the {@code keyring} file (if the directory is still
   * there). Does nothing to an existing profile.
   */
  public static void discardUnused(Path dir, Keyring keyring, String entry) throws IOException {
    if (ProfileStore.exists(dir)) {
      return;
    }
    keyring.clear(entry);
    Files.deleteIfExists(dir.resolve(ProfileStore.KEYRING_FILE));
  }

  /**
   * Before creating a passphrase profile in {@code dir}: if it holds no profile, removes a {@code
   * keyring} file left by an attempt that never finished, and, given a keyring, the entry it names.
   * Does nothing to an existing profile.
   */
  public static void discardStale(Path dir, Optional<Keyring> keyring) throws IOException {
    if (ProfileStore.exists(dir) || !isKeyringProfile(dir)) {
      return;
    }
    Optional<String> entry = entry(dir);
    if (entry.isPresent() && keyring.isPresent()) {
      keyring.get().clear(entry.get());
    }
    Files.deleteIfExists(dir.resolve(ProfileStore.KEYRING_FILE));
  }

  private static Optional<String> entry(Path dir) throws IOException {
    if (!isKeyringProfile(dir)) {
      return Optional.empty();
    }
    String entry =
        new String(
                Files.readAllBytes(dir.resolve(ProfileStore.KEYRING_FILE)),
                StandardCharsets.US_ASCII)
            .strip();
    if (!entry.matches("[0-9a-f]{" + 2 * ENTRY_BYTES + "}")) {
      throw new KeyringException("the profile's keyring file is damaged");
    }
    return Optional.of(entry);
  }

  /** 32 random bytes as 43 characters of unpadded base64url: a passphrase nobody has to type. */
  static char[] randomKey(SecureRandom random) {
    byte[] bytes = new byte[KEY_BYTES];
    random.nextBytes(bytes);
    byte[] encoded = Base64.getUrlEncoder().withoutPadding().encode(bytes);
    char[] key = new char[encoded.length];
    for (int i = 0; i < encoded.length; i++) {
      key[i] = (char) encoded[i];
    }
    Arrays.fill(bytes, (byte) 0);
    Arrays.fill(encoded, (byte) 0);
    return key;
  }
}
