package com.securecom.client.store;

import static com.securecom.client.store.TestProfiles.PASSPHRASE;
import static com.securecom.client.store.TestProfiles.create;
import static com.securecom.client.store.TestProfiles.info;
import static com.securecom.client.store.TestProfiles.open;
import static com.securecom.client.store.TestProfiles.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileLockTest {
  @TempDir Path base;

  @Test
  void secondOpenInTheSameJvm_throwsProfileLocked() throws Exception {
    Path dir = base.resolve("p");
    try (OpenProfile first = create(dir, state(1))) {
      assertThatThrownBy(() -> open(dir))
          .isInstanceOf(ProfileLockedException.class)
          .hasMessage("profile is in use by another securecom process");
      Path alias = Files.createSymbolicLink(base.resolve("alias"), dir);
      assertThatThrownBy(() -> open(alias)).isInstanceOf(ProfileLockedException.class);
      assertThatThrownBy(() -> TestProfiles.create(dir, state(2)))
          .isInstanceOf(ProfileLockedException.class);
      first.write(state(2)); // the refused opens did not disturb the holder
    }
    try (OpenProfile again = open(dir)) {
      assertThat(again.state()).isEqualTo(state(2));
    }
  }

  @Test
  void lockTakenByOtherCodeInThisJvm_overlappingLockBecomesProfileLocked() throws Exception {
    Path dir = base.resolve("p");
    create(dir, state(1)).close();
    try (FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.WRITE)) {
      FileLock lock = channel.lock();
      assertThatThrownBy(() -> open(dir)).isInstanceOf(ProfileLockedException.class);
      assertThat(lock.isValid()).isTrue();
    }
    open(dir).close();
  }

  @Test
  void profileOpenInAnotherProcess_throwsProfileLocked() throws Exception {
    Path dir = base.resolve("p");
    create(dir, state(1)).close();
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                LockHolder.class.getName(),
                dir.toString(),
                PASSPHRASE)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("open");
      assertThatThrownBy(() -> open(dir)).isInstanceOf(ProfileLockedException.class);
      assertThatThrownBy(() -> ProfileStore.create(dir, info(), PASSPHRASE.toCharArray(), state(2)))
          .isInstanceOf(ProfileLockedException.class);
      child.getOutputStream().close();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isZero();
    } finally {
      child.destroyForcibly();
    }
    try (OpenProfile profile = open(dir)) {
      assertThat(profile.state()).isEqualTo(state(1));
    }
  }
}
