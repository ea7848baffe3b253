package com.securecom.server.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * Gives the disk space of deleted rows back to the file system, online. H2 2.2's MVStore appends
 * every commit as new chunks and frees old ones only after its retention time, so a relay queue
 * that fills and drains grows the file far beyond the data it holds (measured: 1,500 envelopes of
 * 64 KiB stored then deleted, each in its own commit as the relay does, left an 834 MB file holding
 * nothing), and the file never shrinks while the database is open: H2 compacts only on close
 * ({@code MAX_COMPACT_TIME}, {@code SHUTDOWN COMPACT}) and has no SQL statement that compacts an
 * open database. {@link MVStore#compactFile} does it (the same 834 MB file went to 20 KB in 0.23
 * s); it is reached through H2's session, an internal API of the H2 version this build pins.
 */
final class H2Compaction {
  private H2Compaction() {}

  /**
   * Compacts the store behind {@code connection} for at most {@code maxMillis}; false if it is not
   * an H2 file.
   */
  static boolean compact(Connection connection, int maxMillis) throws SQLException {
    if (!connection.isWrapperFor(JdbcConnection.class)) {
      return false;
    }
    JdbcConnection h2 = connection.unwrap(JdbcConnection.class);
    if (!(h2.getSession() instanceof SessionLocal session)
        || session.getDatabase().getStore() == null) {
      return false;
    }
    MVStore store = session.getDatabase().getStore().getMvStore();
    if (store.getFileStore() == null) {
      return false; // in memory: nothing to give back
    }
    store.compactFile(maxMillis);
    return true;
  }
}
