package com.securecom.client.store;

import static com.securecom.client.store.TestProfiles.CHEAP;
import static com.securecom.client.store.TestProfiles.CHEAP_CEILING;
import static com.securecom.client.store.TestProfiles.info;
import static com.securecom.client.store.TestProfiles.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.securecom.client.keyring.FakeSecretTool;
import com.securecom.client.keyring.Keyring;
import com.securecom.client.keyring.KeyringException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Profiles without a passphrase: a random key in the (fake) OS keyring. */
class ProfileKeyringTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  @TempDir Path base;
  private Path dir;
  private FakeSecretTool tool;
  private Keyring keyring;

  @BeforeEach
  void installFakeKeyring() throws Exception {
    assumeTrue(FakeSecretTool.runnable(), "no /bin/sh to run the fake secret-tool");
    dir = base.resolve("profile");
    tool = FakeSecretTool.install(base.resolve("keyring"));
    keyring = tool.keyring();
  }

  @Test
  void keyringProfile_roundTrips_withTheKeyNeverOnACommandLineOrOnDisk() throws Exception {
    char[] key =
        ProfileKeyring.newKey(dir, keyring, "SecureCom profile key of alice", RANDOM).key();
    String keyText = new String(key);
    assertThat(keyText).hasSize(43).matches("[A-Za-z0-9_-]+");
    ProfileStore.create(dir, info(), key, state(1), CHEAP).close();

    assertThat(ProfileKeyring.isKeyringProfile(dir)).isTrue();
    try (OpenProfile profile =
        ProfileStore.open(dir, ProfileKeyring.key(dir, keyring), CHEAP_CEILING)) {
      assertThat(profile.state()).isEqualTo(state(1));
    }
    assertThat(tool.argumentsLog())
        .contains("--label=SecureCom profile key of alice")
        .doesNotContain(keyText);
    ProfileStoreTest.assertNoFileContains(dir, keyText);
    assertThat(Files.readString(dir.resolve("keyring"))).matches("[0-9a-f]{32}\n");
  }

  @Test
  void passphraseProfile_isNotAKeyringProfile() throws Exception {
    TestProfiles.create(dir, state(1)).close();
    assertThat(ProfileKeyring.isKeyringProfile(dir)).isFalse();
  }

  @Test
  void newKey_whereAProfileExists_touchesNeitherTheKeyringNorTheProfile() throws Exception {
    TestProfiles.create(dir, state(1)).close();
    assertThatThrownBy(() -> ProfileKeyring.newKey(dir, keyring, "label", RANDOM))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(tool.entries()).isZero();
    assertThat(ProfileKeyring.isKeyringProfile(dir)).isFalse();
  }

  @Test
  void newKey_withoutASecretService_failsClearly_andLeavesNoKeyringFile() throws Exception {
    Keyring unreachable = FakeSecretTool.withoutSecretService(base.resolve("broken")).keyring();
    assertThatThrownBy(() -> ProfileKeyring.newKey(dir, unreachable, "label", RANDOM))
        .isInstanceOf(KeyringException.class)
        .hasMessageStartingWith("no OS keyring found; choose a passphrase");
    assertThat(ProfileKeyring.isKeyringProfile(dir)).isFalse();
  }

  @Test
  void keyMissingFromTheKeyring_failsClearly() throws Exception {
    char[] key = ProfileKeyring.newKey(dir, keyring, "label", RANDOM).key();
    ProfileStore.create(dir, info(), key, state(1), CHEAP).close();
    tool.forgetEverything();
    assertThatThrownBy(() -> ProfileKeyring.key(dir, keyring))
        .isInstanceOf(KeyringException.class)
        .hasMessageStartingWith("the OS keyring holds no key for the profile");
  }

  @Test
  void discardUnused_afterACreationThatFailed_removesTheEntryAndTheFile() throws Exception {
    ProfileKeyring.NewKey made = ProfileKeyring.newKey(dir, keyring, "label", RANDOM);
    assertThat(tool.entries()).isOne();
    ProfileKeyring.discardUnused(dir, keyring, made.entry());
    assertThat(tool.entries()).isZero();
    assertThat(ProfileKeyring.isKeyringProfile(dir)).isFalse();
  }

  @Test
  void discardUnused_afterTheProfileDirectoryWasDeleted_stillRemovesTheEntry() throws Exception {
    ProfileKeyring.NewKey made = ProfileKeyring.newKey(dir, keyring, "label", RANDOM);
    ProfileStore.create(dir, info(), made.key(), state(1), CHEAP).close();
    try (var files =
        Files.walk(dir)) { // what Accounts.register does when the server refuses the account
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
    ProfileKeyring.discardUnused(dir, keyring, made.entry());
    assertThat(tool.entries()).isZero();
  }

  @Test
  void discardStale_removesAKeyringFileWithoutAProfile_beforeAPassphraseProfileIsMade()
      throws Exception {
    ProfileKeyring.newKey(
        dir, keyring, "label", RANDOM); // then the process died before creating the profile
    ProfileKeyring.discardStale(dir, Optional.of(keyring));
    assertThat(ProfileKeyring.isKeyringProfile(dir)).isFalse();
    assertThat(tool.entries()).isZero();
    TestProfiles.create(dir, state(1)).close();
    assertThat(ProfileKeyring.isKeyringProfile(dir)).isFalse();
  }

  @Test
  void discarding_neverTouchesAnExistingProfile() throws Exception {
    ProfileKeyring.NewKey made = ProfileKeyring.newKey(dir, keyring, "label", RANDOM);
    ProfileStore.create(dir, info(), made.key().clone(), state(1), CHEAP).close();
    ProfileKeyring.discardUnused(dir, keyring, made.entry());
    ProfileKeyring.discardStale(dir, Optional.of(keyring));
    assertThat(tool.entries()).isOne();
    assertThat(ProfileKeyring.key(dir, keyring)).isEqualTo(made.key());
  }

  @Test
  void randomKeys_passThePassphrasePolicy() {
    for (int i = 0; i < 50; i++) {
      char[] key = ProfileKeyring.randomKey(RANDOM);
      PassphrasePolicy.check(key, java.util.List.of("alice", "localhost"));
    }
  }
}
