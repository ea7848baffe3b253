package com.securecom.client.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive {@link FileLock} on a profile's {@code lock} file, held while the profile is open.
 *
 * <p>OS file locks belong to the process, and on some systems closing <em>any</em> channel to the
 * file drops every lock the JVM holds on it (see {@link FileLock}). So a second open in the same
 * JVM must not even open a channel: a JVM-wide set of held profiles answers it first. (If other
 * code in the JVM locks the file behind this class's back, the {@link OverlappingFileLockException}
 * still becomes a {@link ProfileLockedException}, but closing our channel may drop that code's OS
 * lock.) The lock file itself is never deleted (deleting it would let two processes lock two
 * different files).
 */
final class ProfileLock implements AutoCloseable {
  static final String FILE_NAME = "lock";
  private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;

  private ProfileLock(Path key, FileChannel channel, FileLock lock) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /** Locks the profile in {@code dir}, which must exist, without waiting. */
  static ProfileLock acquire(Path dir) throws IOException {
    Path key = dir.toRealPath();
    if (!HELD_IN_THIS_JVM.add(key)) {
      throw new ProfileLockedException();
    }
    FileChannel channel = null;
    try {
      channel =
          AtomicFiles.openPrivate(
              dir.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new ProfileLockedException();
      }
      return new ProfileLock(key, channel, lock);
    } catch (OverlappingFileLockException e) {
      // someone else in this JVM locked the file without going through this class
      abandon(key, channel);
      throw new ProfileLockedException();
    } catch (IOException | RuntimeException | Error e) {
      abandon(key, channel);
      throw e;
    }
  }

  private static void abandon(Path key, FileChannel channel) throws IOException {
    try {
      if (channel != null) {
        channel.close();
      }
    } finally {
      HELD_IN_THIS_JVM.remove(key);
    }
  }

  @Override
  public void close() throws IOException {
    try (channel) {
      lock.release();
    } finally {
      HELD_IN_THIS_JVM.remove(key);
    }
  }
}
