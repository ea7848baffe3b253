package com.securecom.client.store;

import static com.securecom.client.store.TestProfiles.CHEAP;
import static com.securecom.client.store.TestProfiles.MARKER;
import static com.securecom.client.store.TestProfiles.PASSPHRASE;
import static com.securecom.client.store.TestProfiles.create;
import static com.securecom.client.store.TestProfiles.info;
import static com.securecom.client.store.TestProfiles.open;
import static com.securecom.client.store.TestProfiles.passphrase;
import static com.securecom.client.store.TestProfiles.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileStoreTest {
  @TempDir Path base;

  @Test
  void createThenOpen_returnsInfoAndLastWrittenState() throws Exception {
    Path dir = base.resolve("p");
    try (OpenProfile profile = create(dir, state(1))) {
      assertThat(profile.state()).isEqualTo(state(1));
      profile.write(state(2));
      assertThat(profile.state()).isEqualTo(state(2));
    }
    assertThat(ProfileStore.exists(dir)).isTrue();
    try (OpenProfile profile = open(dir)) {
      assertThat(profile.info()).isEqualTo(info());
      assertThat(profile.state()).isEqualTo(state(2));
      profile.write(state(3));
    }
    try (OpenProfile profile = open(dir)) {
      assertThat(profile.state()).isEqualTo(state(3));
    }
  }

  @Test
  void defaultArgon2Parameters_roundTripAndAreRecordedInTheHeader() throws Exception {
    Path dir = base.resolve("p");
    ProfileStore.create(dir, info(), passphrase(), state(1)).close();
    byte[] file = Files.readAllBytes(dir.resolve("state.bin"));
    assertThat(StateFile.readHeader(file, Argon2Params.MAX_ACCEPTED).cost())
        .isEqualTo(Argon2Params.DEFAULT);
    try (OpenProfile profile = ProfileStore.open(dir, passphrase())) {
      assertThat(profile.state()).isEqualTo(state(1));
    }
  }

  @Test
  void wrongPassphrase_throwsWrongPassphraseWithTheOneMessage() throws Exception {
    Path dir = base.resolve("p");
    create(dir, state(1)).close();
    assertThatThrownBy(() -> ProfileStore.open(dir, "correct horse battery stapler".toCharArray()))
        .isInstanceOf(WrongPassphraseException.class)
        .hasMessage("wrong passphrase or damaged profile")
        .hasNoCause();
    try (OpenProfile profile = open(dir)) { // the failed attempt released the lock
      assertThat(profile.state()).isEqualTo(state(1));
    }
  }

  @Test
  void createOverExistingProfile_throwsAndKeepsIt() throws Exception {
    Path dir = base.resolve("p");
    create(dir, state(1)).close();
    assertThatThrownBy(() -> create(dir, state(9))).isInstanceOf(FileAlreadyExistsException.class);
    try (OpenProfile profile = open(dir)) {
      assertThat(profile.state()).isEqualTo(state(1));
    }
  }

  @Test
  void openWhereNoProfileIs_throwsNoSuchFile() {
    assertThat(ProfileStore.exists(base.resolve("none"))).isFalse();
    assertThatThrownBy(() -> open(base.resolve("none"))).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> open(base)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void missingProfileJson_isADamagedProfile() throws Exception {
    Path dir = base.resolve("p");
    create(dir, state(1)).close();
    Files.delete(dir.resolve("profile.json"));
    assertThatThrownBy(() -> open(dir)).isInstanceOf(WrongPassphraseException.class);
  }

  @Test
  void everyWrite_usesAFreshNonce() throws Exception {
    Path dir = base.resolve("p");
    Set<String> nonces = new HashSet<>();
    try (OpenProfile profile = create(dir, state(0))) {
      for (int i = 0; i < 50; i++) {
        profile.write(state(7)); // the same state each time
        byte[] file = Files.readAllBytes(dir.resolve("state.bin"));
        nonces.add(
            Arrays.toString(
                Arrays.copyOfRange(file, StateFile.FIXED_HEADER_BYTES, StateFile.HEADER_BYTES)));
      }
    }
    assertThat(nonces).hasSize(50);
  }

  @Test
  void headerLayout_matchesTheDocumentedFormat() throws Exception {
    Path dir = base.resolve("p");
    create(dir, state(1)).close();
    byte[] file = Files.readAllBytes(dir.resolve("state.bin"));
    assertThat(new String(file, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("SCST");
    assertThat(file[4]).isEqualTo((byte) 1);
    assertThat(Arrays.copyOfRange(file, 21, 30)).containsExactly(0, 0, 0, 64, 0, 0, 0, 1, 1);
    assertThat(file.length).isGreaterThan(42 + 16);
  }

  @Test
  void plaintextAndPassphrase_neverAppearInAnyFile() throws Exception {
    Path dir = base.resolve("p");
    try (OpenProfile profile = create(dir, state(1))) {
      for (int i = 2; i < 5; i++) {
        profile.write(state(i));
      }
      assertNoFileContains(dir, MARKER);
      assertNoFileContains(dir, PASSPHRASE);
      assertNoFileContains(dir, "identityPrivateKey");
    }
    assertNoFileContains(dir, MARKER);
  }

  @Test
  void closedProfile_refusesUse() throws Exception {
    OpenProfile profile = create(base.resolve("p"), state(1));
    profile.close();
    profile.close(); // idempotent
    assertThatThrownBy(profile::state).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> profile.write(state(2))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void concurrentWrites_areSerializedAndTheLastOneIsOnDisk() throws Exception {
    Path dir = base.resolve("p");
    try (OpenProfile profile = create(dir, state(0))) {
      List<Thread> threads = new ArrayList<>();
      List<Throwable> failures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t * 100;
        Thread thread =
            new Thread(
                () -> {
                  try {
                    for (int i = 0; i < 15; i++) {
                      profile.write(state(offset + i));
                    }
                  } catch (Throwable e) {
                    synchronized (failures) {
                      failures.add(e);
                    }
                  }
                });
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
      assertThat(failures).isEmpty();
      assertThat(profile.state().getInt("version") % 100).isEqualTo(14);
    }
    try (OpenProfile reopened = open(dir)) {
      assertThat(reopened.state().getInt("version") % 100).isEqualTo(14);
    }
  }

  @Test
  void unverifiedInfo_isReadableWithoutPassphrase() throws Exception {
    Path dir = base.resolve("p");
    create(dir, state(1)).close();
    assertThat(ProfileStore.readUnverifiedInfo(dir)).isEqualTo(info());
    assertThat(Files.readString(dir.resolve("profile.json")))
        .contains("\"username\"", "alice", "wss://");
  }

  @Test
  void argon2Params_rejectInvalidCosts() {
    assertThatThrownBy(() -> new Argon2Params(7, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Argon2Params(64, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Argon2Params(4096, 1, 256))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new Argon2Params(64, 1, 1)).isEqualTo(CHEAP);
  }

  static void assertNoFileContains(Path dir, String text) throws Exception {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        byte[] bytes = Files.readAllBytes(file);
        assertThat(indexOf(bytes, needle)).as("%s in %s", text, file.getFileName()).isEqualTo(-1);
      }
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void openForReading_whileAnotherHoldsTheProfile_seesTheLastWrittenState_andCannotWrite()
      throws Exception {
    Path dir = base.resolve("p");
    try (OpenProfile writer = create(dir, state(1))) {
      writer.write(state(2));
      assertThatThrownBy(() -> open(dir)).isInstanceOf(ProfileLockedException.class);

      try (OpenProfile reader = ProfileStore.openForReading(dir, passphrase())) {
        assertThat(reader.state()).isEqualTo(state(2));
        assertThatThrownBy(() -> reader.write(state(9)))
            .isInstanceOf(ProfileLockedException.class)
            .hasMessage("profile is in use by another securecom process");
      }
      writer.write(state(3)); // the reader took no lock and left the writer's files alone
    }
    try (OpenProfile profile = open(dir)) {
      assertThat(profile.state()).isEqualTo(state(3));
    }
  }
}
