package com.securecom.client.store;

import static com.securecom.client.store.TestProfiles.create;
import static com.securecom.client.store.TestProfiles.fileNames;
import static com.securecom.client.store.TestProfiles.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PermissionsTest {
  @TempDir Path base;

  @Test
  void profileDirectoryIs0700AndEveryFile0600() throws Exception {
    assumeTrue(base.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path dir = base.resolve("servers/host_443/alice");
    try (OpenProfile profile = create(dir, state(1))) {
      profile.write(state(2));
      assertThat(mode(dir)).isEqualTo("rwx------");
      assertThat(mode(dir.getParent())).isEqualTo("rwx------");
      assertThat(fileNames(dir)).containsExactlyInAnyOrder("profile.json", "state.bin", "lock");
      for (String name : fileNames(dir)) {
        assertThat(mode(dir.resolve(name))).as(name).isEqualTo("rw-------");
      }
    }
  }

  @Test
  void existingLooseDirectory_isTightenedOnCreate() throws Exception {
    assumeTrue(base.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path dir = base.resolve("p");
    Files.createDirectory(
        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    create(dir, state(1)).close();
    assertThat(mode(dir)).isEqualTo("rwx------");
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
