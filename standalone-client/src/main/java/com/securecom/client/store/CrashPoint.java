package com.securecom.client.store;

import java.io.IOException;

/**
 * A test hook called at the steps of an atomic file replacement and of a journal append. Production
 * code uses {@link #NONE}; tests throw from it to simulate a crash at that step.
 */
@FunctionalInterface
interface CrashPoint {
  CrashPoint NONE = (fileName, step) -> {};

  enum Step {
    /** The temp file is complete and forced to disk; the target is untouched. */
    TEMP_SYNCED,
    /** The temp file has been renamed over the target; the directory is not yet forced. */
    RENAMED,
    /** A journal record has been written to the journal but not yet forced to disk. */
    APPENDED
  }

  void reached(String fileName, Step step) throws IOException;
}
