package com.securecom.client.store;

import static com.securecom.client.store.TestProfiles.CHEAP;
import static com.securecom.client.store.TestProfiles.CHEAP_CEILING;
import static com.securecom.client.store.TestProfiles.MARKER;
import static com.securecom.client.store.TestProfiles.create;
import static com.securecom.client.store.TestProfiles.fileNames;
import static com.securecom.client.store.TestProfiles.info;
import static com.securecom.client.store.TestProfiles.open;
import static com.securecom.client.store.TestProfiles.passphrase;
import static com.securecom.client.store.TestProfiles.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A crash at each step of a write leaves the old or the new complete state, never a torn one. */
class CrashSafetyTest {
  @TempDir Path dir;

  /**
   * Stands for the process dying: like a real crash, it skips the store's cleanup of its temp file.
   */
  static final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;
  }

  private static CrashPoint crashAt(String file, CrashPoint.Step step) {
    return (name, reached) -> {
      if (name.equals(file) && reached == step) {
        throw new SimulatedCrash();
      }
    };
  }

  private OpenProfile openWith(CrashPoint hook) throws Exception {
    return ProfileStore.open(dir, passphrase(), CHEAP_CEILING.withCrashPoint(hook));
  }

  @Test
  void crashBetweenTempWrittenAndRename_leavesTheOldState() throws Exception {
    create(dir, state(1)).close();
    OpenProfile profile = openWith(crashAt("state.bin", CrashPoint.Step.TEMP_SYNCED));
    assertThatThrownBy(() -> profile.write(state(2))).isInstanceOf(SimulatedCrash.class);
    assertThat(fileNames(dir)).anyMatch(n -> n.startsWith("state.bin.") && n.endsWith(".tmp"));
    profile.close();
    try (OpenProfile reopened = open(dir)) {
      assertThat(reopened.state()).isEqualTo(state(1));
    }
  }

  @Test
  void crashAfterRename_leavesTheNewState() throws Exception {
    create(dir, state(1)).close();
    OpenProfile profile = openWith(crashAt("state.bin", CrashPoint.Step.RENAMED));
    assertThatThrownBy(() -> profile.write(state(2))).isInstanceOf(SimulatedCrash.class);
    profile.close();
    try (OpenProfile reopened = open(dir)) {
      assertThat(reopened.state()).isEqualTo(state(2));
    }
  }

  @Test
  void strayTempFiles_areIgnoredAndRemovedOnOpen() throws Exception {
    create(dir, state(1)).close();
    OpenProfile profile = openWith(crashAt("state.bin", CrashPoint.Step.TEMP_SYNCED));
    assertThatThrownBy(() -> profile.write(state(2))).isInstanceOf(SimulatedCrash.class);
    profile.close();
    Files.write(dir.resolve("profile.json.123.tmp"), new byte[] {1, 2, 3});
    Files.write(dir.resolve("unrelated.tmp"), new byte[] {4});
    try (OpenProfile reopened = open(dir)) {
      assertThat(reopened.state()).isEqualTo(state(1));
    }
    assertThat(fileNames(dir))
        .containsExactlyInAnyOrder("profile.json", "state.bin", "lock", "unrelated.tmp");
  }

  @Test
  void ioFailureBeforeRename_deletesTheTempFileAndKeepsTheOldState() throws Exception {
    create(dir, state(1)).close();
    OpenProfile profile =
        openWith(
            (name, step) -> {
              if (step == CrashPoint.Step.TEMP_SYNCED) {
                throw new IOException("disk full");
              }
            });
    assertThatThrownBy(() -> profile.write(state(2))).hasMessage("disk full");
    assertThat(fileNames(dir)).containsExactlyInAnyOrder("profile.json", "state.bin", "lock");
    profile.close();
    try (OpenProfile reopened = open(dir)) {
      assertThat(reopened.state()).isEqualTo(state(1));
    }
  }

  @Test
  void afterAFailedWrite_theProfileMustBeReopened() throws Exception {
    create(dir, state(1)).close();
    try (OpenProfile profile = openWith(crashAt("state.bin", CrashPoint.Step.RENAMED))) {
      assertThatThrownBy(() -> profile.write(state(2))).isInstanceOf(SimulatedCrash.class);
      assertThatThrownBy(profile::state).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> profile.write(state(3))).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void crashDuringCreate_leavesNoProfileAndCreateCanBeRetried() throws Exception {
    for (String file : new String[] {"profile.json", "state.bin"}) {
      Path attempt = dir.resolve(file);
      assertThatThrownBy(
              () ->
                  ProfileStore.create(
                      attempt,
                      info(),
                      passphrase(),
                      state(1),
                      CHEAP,
                      CHEAP_CEILING.withCrashPoint(crashAt(file, CrashPoint.Step.TEMP_SYNCED))))
          .isInstanceOf(SimulatedCrash.class);
      assertThat(ProfileStore.exists(attempt)).isFalse();
      create(attempt, state(2)).close();
      try (OpenProfile profile = open(attempt)) {
        assertThat(profile.state()).isEqualTo(state(2));
      }
      assertThat(fileNames(attempt)).containsExactlyInAnyOrder("profile.json", "state.bin", "lock");
    }
  }

  @Test
  void leftoverTempFiles_holdOnlyCiphertext() throws Exception {
    create(dir, state(1)).close();
    OpenProfile profile = openWith(crashAt("state.bin", CrashPoint.Step.TEMP_SYNCED));
    assertThatThrownBy(() -> profile.write(state(2))).isInstanceOf(SimulatedCrash.class);
    ProfileStoreTest.assertNoFileContains(dir, MARKER);
    profile.close();
  }
}
