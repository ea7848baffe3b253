package com.securecom.client.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Whole-file replacement that a crash cannot tear: write a temp file in the same directory, force
 * it, rename it over the target with {@code ATOMIC_MOVE}, force the directory. After a crash at any
 * step the target holds the old or the new bytes; a temp file may be left behind, and {@link
 * #removeTemps} deletes it on the next open.
 *
 * <p>Directories are made 0700 and files 0600 where the file system has POSIX permissions.
 */
final class AtomicFiles {
  static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final String TEMP_SUFFIX = ".tmp";

  private AtomicFiles() {}

  /**
   * Creates {@code dir} and missing parents, and makes {@code dir} owner-only even if it existed.
   */
  static void createPrivateDirectory(Path dir) throws IOException {
    if (isPosix(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
      Files.setPosixFilePermissions(dir, OWNER_ONLY_DIRECTORY);
    } else {
      Files.createDirectories(dir);
    }
  }

  /** Opens {@code file} for writing, creating it owner-only if it is missing. */
  static FileChannel openPrivate(Path file, StandardOpenOption... options) throws IOException {
    Set<StandardOpenOption> all = Set.of(options);
    if (!isPosix(file)) {
      return FileChannel.open(file, all);
    }
    FileChannel channel =
        FileChannel.open(file, all, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
    Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
    return channel;
  }

  /** Replaces {@code dir/name} with {@code bytes}, calling {@code crash} between the steps. */
  static void replace(Path dir, String name, byte[] bytes, CrashPoint crash) throws IOException {
    Path temp = Files.createTempFile(dir, name + ".", TEMP_SUFFIX, privateFileAttributes(dir));
    try {
      if (isPosix(dir)) {
        Files.setPosixFilePermissions(temp, OWNER_ONLY_FILE); // exact, whatever the umask
      }
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      crash.reached(name, CrashPoint.Step.TEMP_SYNCED);
      Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      // An Error (a simulated crash in tests) leaves the temp file to the next open, as a real
      // crash would.
      Files.deleteIfExists(temp);
      throw e;
    }
    crash.reached(name, CrashPoint.Step.RENAMED);
    forceDirectory(dir);
  }

  /**
   * Deletes the temp files of {@code names} that an interrupted {@link #replace} left in {@code
   * dir}.
   */
  static void removeTemps(Path dir, Set<String> names) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + TEMP_SUFFIX)) {
      for (Path entry : entries) {
        String file = entry.getFileName().toString();
        if (names.stream().anyMatch(name -> file.startsWith(name + "."))) {
          Files.deleteIfExists(entry);
        }
      }
    }
  }

  /**
   * Makes the rename durable by forcing the directory. Some platforms refuse: Windows cannot open a
   * directory as a channel and some file systems cannot sync one. There the rename is as durable as
   * the file system makes it, and the data itself was already forced.
   */
  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // the platform refuses; nothing more can be done
    }
  }

  private static FileAttribute<?>[] privateFileAttributes(Path dir) {
    return isPosix(dir)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
        : new FileAttribute<?>[0];
  }

  private static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
