package com.securecom.client.app;

import com.securecom.client.e2e.LocalUser;
import com.securecom.client.e2e.PreKeyStore;
import com.securecom.client.store.Argon2Params;
import com.securecom.client.store.OpenProfile;
import com.securecom.client.store.ProfileInfo;
import com.securecom.client.store.ProfileStore;
import com.securecom.client.store.WrongPassphraseException;
import com.securecom.protocol.crypto.X25519;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;

/**
 * An open profile and its decoded data. {@link #save()} makes every change so far durable before it
 * returns: callers save after every change that must survive a crash (a ratchet step, a pin) and
 * before they act on it (send, acknowledge), so state is never rolled back. A save that changed
 * little (a ratchet step, an outbox entry) appends one encrypted record to the profile's journal
 * and forces it to disk; a change the journal does not carry (keys, the token), or a journal grown
 * long, writes the whole state instead. The journal is folded back into the state at open (after a
 * crash) and at {@link #close}. All access goes through the vault's lock.
 */
public final class Vault implements AutoCloseable, PreKeyStore {
  private final OpenProfile profile;
  private final ProfileData data;
  private boolean unsaved;

  private Vault(OpenProfile profile, ProfileData data) {
    this.profile = profile;
    this.data = data;
  }

  static Vault create(Path dir, ProfileInfo info, char[] passphrase, ProfileData data)
      throws IOException {
    Vault vault = new Vault(ProfileStore.create(dir, info, passphrase, data.toJson()), data);
    data.markSaved();
    return vault;
  }

  /** A profile protected with {@code cost}: for tests, which open thousands of profiles. */
  static Vault create(
      Path dir, ProfileInfo info, char[] passphrase, ProfileData data, Argon2Params cost)
      throws IOException {
    Vault vault = new Vault(ProfileStore.create(dir, info, passphrase, data.toJson(), cost), data);
    data.markSaved();
    return vault;
  }

  /**
   * Opens the profile with its lock; if a journal follows its snapshot (the last run did not close
   * it), the journal is applied and written into a new snapshot.
   */
  public static Vault open(Path dir, char[] passphrase)
      throws IOException, WrongPassphraseException {
    OpenProfile profile = ProfileStore.open(dir, passphrase);
    try {
      Vault vault = new Vault(profile, decode(profile));
      if (profile.hasJournal()) {
        profile.write(vault.data.toJson());
        vault.data.markSaved();
      }
      return vault;
    } catch (IOException | RuntimeException | Error e) {
      profile.close();
      throw e;
    }
  }

  /**
   * The profile as last saved, for a command that only reads it while another holds it open (a
   * chat): no lock is taken, and {@link #save} fails with the {@link
   * com.securecom.client.store.ProfileLockedException} "profile is in use" (as an {@link
   * UncheckedIOException}), so a reader that would change something stops instead.
   *
   * @throws com.securecom.client.store.ProfileChangedException if the profile kept changing while
   *     it was read (try again)
   */
  public static Vault openForReading(Path dir, char[] passphrase)
      throws IOException, WrongPassphraseException {
    OpenProfile profile = ProfileStore.openForReading(dir, passphrase);
    try {
      return new Vault(profile, decode(profile));
    } catch (RuntimeException | Error e) {
      profile.close();
      throw e;
    }
  }

  /** The snapshot with the journal applied. */
  private static ProfileData decode(OpenProfile profile) throws WrongPassphraseException {
    try {
      ProfileData data = ProfileData.fromJson(profile.state());
      profile.journal().forEach(data::apply);
      data.markSaved();
      return data;
    } catch (RuntimeException malformed) {
      throw new WrongPassphraseException(); // authentic, yet not what this client writes
    }
  }

  /** The profile's directory. */
  Path directory() {
    return profile.directory();
  }

  public ProfileInfo info() {
    return profile.info();
  }

  ProfileData data() {
    return data;
  }

  /**
   * The bearer token, if it is still valid at {@code now}.
   *
   * @throws NotLoggedInException if there is none, or it expired
   */
  synchronized String token(Instant now) {
    if (!data.hasValidToken(now)) {
      throw new NotLoggedInException(data.token == null ? "not logged in" : "the session expired");
    }
    return data.token;
  }

  /**
   * This user as the peer protocol needs them: name, identity, the prekeys kept here, and {@code
   * random}.
   */
  LocalUser localUser(SecureRandom random) {
    return new LocalUser(info().username(), data.identity, this, random);
  }

  /**
   * Makes every change so far durable: one journal record forced to disk, or the whole state.
   *
   * @throws UncheckedIOException if it cannot be written (the vault must then be closed: see {@link
   *     OpenProfile})
   */
  synchronized void save() {
    try {
      Optional<JsonObject> change = data.changes();
      if (change.isPresent() && change.get().isEmpty()) {
        return;
      }
      if (change.isEmpty() || !profile.append(change.get())) {
        profile.write(data.toJson());
      }
      data.markSaved();
      unsaved = false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the profile", e);
    }
  }

  /**
   * Leaves the changes so far in memory, to be written with the next {@link #save} or at {@link
   * #close}: only for changes whose loss in a crash is harmless (the server accepted a message that
   * would otherwise be resent, with its id, and stored once).
   */
  synchronized void saveLater() {
    unsaved = true;
  }

  @Override
  public synchronized Optional<X25519.KeyPair> signedPreKey(long keyId) {
    return Optional.ofNullable(data.signedPreKeys.get(keyId))
        .map(ProfileData.SignedPreKeyEntry::keyPair);
  }

  @Override
  public synchronized Optional<X25519.KeyPair> oneTimePreKey(long keyId) {
    return Optional.ofNullable(data.oneTimePreKeys.get(keyId));
  }

  @Override
  public synchronized void removeOneTimePreKey(long keyId) {
    data.oneTimePreKeys.remove(keyId);
  }

  /**
   * Writes what {@link #saveLater} left in memory and the journal into one snapshot (unless the
   * profile is open for reading, or a write failed), then closes the profile.
   */
  @Override
  public synchronized void close() {
    try (profile) {
      if (!profile.isReadOnly() && profile.isUsable()) {
        Optional<JsonObject> change = data.changes();
        if (unsaved || profile.hasJournal() || change.isEmpty() || !change.get().isEmpty()) {
          profile.write(data.toJson());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the profile", e);
    }
  }
}
