package com.securecom.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
  @TempDir Path temp;

  @Test
  void secure_createsTheDirectory0700() throws Exception {
    DataDirectory data = new DataDirectory(temp.resolve("a/data"));

    data.secure();

    assertThat(mode(temp.resolve("a/data"))).isEqualTo("rwx------");
  }

  @Test
  void secure_tightensWhatAnOlderVersionLeftReadable() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("data/sub"));
    Files.setPosixFilePermissions(
        temp.resolve("data"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path db = Files.writeString(temp.resolve("data/securecom.mv.db"), "x");
    Path nested = Files.writeString(dir.resolve("trace.db"), "x");
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(nested, PosixFilePermissions.fromString("rw-rw-rw-"));

    new DataDirectory(temp.resolve("data")).secure();

    assertThat(mode(temp.resolve("data"))).isEqualTo("rwx------");
    assertThat(mode(dir)).isEqualTo("rwx------");
    assertThat(mode(db)).isEqualTo("rw-------");
    assertThat(mode(nested)).isEqualTo("rw-------");
  }

  @Test
  void secure_leavesWhatASymbolicLinkPointsTo() throws Exception {
    Path outside = Files.writeString(temp.resolve("outside.txt"), "x");
    Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-r--r--"));
    Files.createDirectories(temp.resolve("data"));
    Files.createSymbolicLink(temp.resolve("data/link"), outside);

    new DataDirectory(temp.resolve("data")).secure();

    assertThat(mode(outside)).isEqualTo("rw-r--r--");
  }

  @Test
  void createPrivateFile_makesAnEmpty0600File_andKeepsAnExistingOne() throws Exception {
    Path file = temp.resolve("securecom.mv.db");

    DataDirectory.createPrivateFile(file);
    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(Files.size(file)).isZero();

    Files.writeString(file, "kept");
    DataDirectory.createPrivateFile(file);
    assertThat(Files.readString(file)).isEqualTo("kept");
  }

  @Test
  void path_isAbsoluteAndNormalised() {
    assertThat(new DataDirectory("./x/../data").path())
        .isEqualTo(Path.of("data").toAbsolutePath().normalize());
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
  }
}
