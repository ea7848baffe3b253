package com.securecom.client.store;

import static com.securecom.client.store.TestProfiles.create;
import static com.securecom.client.store.TestProfiles.open;
import static com.securecom.client.store.TestProfiles.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Any change to either file, header included, is rejected with the one exception. */
class TamperTest {
  @TempDir Path base;
  private Path dir;
  private byte[] state;
  private byte[] info;

  @BeforeEach
  void createProfile() throws Exception {
    dir = base.resolve("p");
    create(dir, state(1)).close();
    state = Files.readAllBytes(dir.resolve("state.bin"));
    info = Files.readAllBytes(dir.resolve("profile.json"));
  }

  @Test
  void everyBitFlipOfStateBin_isRejected() throws Exception {
    assertEveryBitFlipRejected("state.bin", state);
  }

  @Test
  void everyBitFlipOfProfileJson_isRejected() throws Exception {
    assertEveryBitFlipRejected("profile.json", info);
  }

  @Test
  void truncatedOrExtendedStateBin_isRejected() throws Exception {
    for (int length = 0; length < state.length; length++) {
      assertRejected("state.bin", Arrays.copyOf(state, length));
    }
    assertRejected("state.bin", Arrays.copyOf(state, state.length + 1));
  }

  @Test
  void profileJsonWithAnotherValidServerKey_isRejected() throws Exception {
    ProfileInfo other =
        ProfileInfo.of(
            TestProfiles.info().serverUrl(),
            "alice",
            new byte[32],
            TestProfiles.info().createdAt());
    assertRejected("profile.json", other.toJsonBytes());
  }

  @Test
  void reformattedProfileJson_isRejected() throws Exception {
    String compact = new String(info, StandardCharsets.UTF_8).replaceAll("\\s+", "");
    assertRejected("profile.json", compact.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void headerAskingForMoreThanTheCeiling_isRejectedBeforeDerivingAKey() throws Exception {
    byte[] huge = state.clone();
    ByteBuffer.wrap(huge).putInt(21, -1); // m = 2^32 - 1 KiB
    assertThatThrownBy(() -> StateFile.readHeader(huge, Argon2Params.MAX_ACCEPTED))
        .isInstanceOf(WrongPassphraseException.class);
    byte[] slow = state.clone();
    ByteBuffer.wrap(slow).putInt(25, 1_000_000); // t
    assertThatThrownBy(() -> StateFile.readHeader(slow, Argon2Params.MAX_ACCEPTED))
        .isInstanceOf(WrongPassphraseException.class);
  }

  @Test
  void stateBinOfAnotherProfileWithTheSamePassphrase_isRejected() throws Exception {
    Path otherDir = base.resolve("other");
    ProfileInfo bob =
        ProfileInfo.of(
            TestProfiles.info().serverUrl(),
            "bob",
            TestProfiles.info().serverPublicKeyBytes(),
            TestProfiles.info().createdAt());
    ProfileStore.create(otherDir, bob, TestProfiles.passphrase(), state(2), TestProfiles.CHEAP)
        .close();
    assertRejected("state.bin", Files.readAllBytes(otherDir.resolve("state.bin")));
  }

  /** Documents a limit: without a trusted counter, a file cannot tell that it is not the latest. */
  @Test
  void olderStateBinOfTheSameProfile_isAccepted() throws Exception {
    try (OpenProfile profile = open(dir)) {
      profile.write(state(2));
    }
    Files.write(dir.resolve("state.bin"), state);
    try (OpenProfile profile = open(dir)) {
      assertThat(profile.state()).isEqualTo(state(1));
    }
  }

  private void assertEveryBitFlipRejected(String name, byte[] original) throws Exception {
    for (int bit = 0; bit < original.length * 8; bit++) {
      byte[] tampered = original.clone();
      tampered[bit / 8] ^= (byte) (1 << (bit % 8));
      assertRejected(name, tampered);
    }
    Files.write(dir.resolve(name), original);
    try (OpenProfile profile = open(dir)) {
      assertThat(profile.state()).isEqualTo(state(1));
    }
  }

  private void assertRejected(String name, byte[] content) throws Exception {
    Files.write(dir.resolve(name), content);
    assertThatThrownBy(() -> open(dir).close())
        .isInstanceOf(WrongPassphraseException.class)
        .hasMessage("wrong passphrase or damaged profile");
  }
}
