package com.securecom.server.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The server's data directory, {@code securecom.data.dir} (default {@code ./data}, resolved against
 * the working directory once, at start): the default H2 database and the default server key file
 * live there. Only the server's own user may read it: {@link #secure()} makes the directory 0700
 * and every directory in it 0700 and every file 0600, including files an older version left 0644
 * (H2 creates its files with the process's umask). Where the file system has no POSIX permissions
 * nothing is changed.
 */
@ApplicationScoped
public class DataDirectory {
  static final Set<PosixFilePermission> PRIVATE_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

  private Path path;

  protected DataDirectory() {}

  @Inject
  public DataDirectory(
      @ConfigProperty(name = "securecom.data.dir", defaultValue = "./data") String directory) {
    this(Path.of(directory));
  }

  public DataDirectory(Path directory) {
    this.path = directory.toAbsolutePath().normalize();
  }

  /** The absolute path of the directory. */
  public Path path() {
    return path;
  }

  /** A file in the directory. */
  public Path resolve(String name) {
    return path.resolve(name);
  }

  /**
   * Creates the directory if it is missing and makes it, and everything in it, private to this
   * process's user. Symbolic links are neither followed nor changed.
   */
  public synchronized void secure() {
    try {
      makePrivate(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create or secure the data directory " + path, e);
    }
  }

  /**
   * Creates {@code file} empty and private (0600) if it does not exist, so that a library that
   * would create it with the process's umask (H2) writes into a file only this user can read.
   */
  public static void createPrivateFile(Path file) {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
      setIfPosix(file, PRIVATE_FILE); // the umask may have taken bits away, never added them
    } catch (FileAlreadyExistsException exists) {
      // keep it: secure() tightens its permissions
    } catch (UnsupportedOperationException notPosix) {
      // leave it to the library
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file, e);
    }
  }

  static void makePrivate(Path directory) throws IOException {
    Files.createDirectories(directory);
    setIfPosix(directory, PRIVATE_DIRECTORY);
    List<Path> entries;
    try (Stream<Path> walk = Files.walk(directory)) {
      entries = walk.skip(1).toList();
    } catch (UncheckedIOException e) {
      if (!(e.getCause() instanceof java.nio.file.NoSuchFileException)) {
        throw e.getCause();
      }
      makePrivate(directory); // a file went away while listing (an H2 temporary file): list again
      return;
    }
    for (Path entry : entries) {
      if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
        setIfPosix(entry, PRIVATE_DIRECTORY);
      } else if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
        setIfPosix(entry, PRIVATE_FILE);
      }
    }
  }

  private static void setIfPosix(Path path, Set<PosixFilePermission> permissions)
      throws IOException {
    try {
      if (!Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(permissions)) {
        Files.setPosixFilePermissions(path, permissions);
      }
    } catch (UnsupportedOperationException notPosix) {
      // nothing to do on such a file system
    } catch (java.nio.file.NoSuchFileException gone) {
      // deleted meanwhile (an H2 temporary file)
    }
  }
}
