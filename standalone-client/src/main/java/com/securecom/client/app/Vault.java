package com.securecom.client.app;

import com.securecom.client.e2e.LocalUser;
import com.securecom.client.e2e.PreKeyStore;
import com.securecom.client.store.Argon2Params;
import com.securecom.client.store.OpenProfile;
import com.securecom.client.store.ProfileInfo;
import com.securecom.client.store.ProfileStore;
import com.securecom.client.store.WrongPassphraseException;
import com.securecom.protocol.crypto.X25519;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;

/**
 * An open profile and its decoded data. {@link #save()} writes the whole state atomically; callers
 * save after every change that must survive a crash (a ratchet step, a pin) and before they act on
 * it (send, acknowledge), so state is never rolled back. All access goes through the vault's lock.
 */
public final class Vault implements AutoCloseable, PreKeyStore {
  private final OpenProfile profile;
  private final ProfileData data;

  private Vault(OpenProfile profile, ProfileData data) {
    this.profile = profile;
    this.data = data;
  }

  static Vault create(Path dir, ProfileInfo info, char[] passphrase, ProfileData data)
      throws IOException {
    return new Vault(ProfileStore.create(dir, info, passphrase, data.toJson()), data);
  }

  /** A profile protected with {@code cost}: for tests, which open thousands of profiles. */
  static Vault create(
      Path dir, ProfileInfo info, char[] passphrase, ProfileData data, Argon2Params cost)
      throws IOException {
    return new Vault(ProfileStore.create(dir, info, passphrase, data.toJson(), cost), data);
  }

  public static Vault open(Path dir, char[] passphrase)
      throws IOException, WrongPassphraseException {
    OpenProfile profile = ProfileStore.open(dir, passphrase);
    return new Vault(profile, ProfileData.fromJson(profile.state()));
  }

  /**
   * The profile as last written, for a command that only reads it while another holds it open (a
   * chat): no lock is taken, and {@link #save} fails with the {@link
   * com.securecom.client.store.ProfileLockedException} "profile is in use" (as an {@link
   * UncheckedIOException}), so a reader that would change something stops instead.
   */
  public static Vault openForReading(Path dir, char[] passphrase)
      throws IOException, WrongPassphraseException {
    OpenProfile profile = ProfileStore.openForReading(dir, passphrase);
    return new Vault(profile, ProfileData.fromJson(profile.state()));
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

  synchronized void save() {
    try {
      profile.write(data.toJson());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the profile", e);
    }
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

  @Override
  public void close() {
    try {
      profile.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the profile", e);
    }
  }
}
