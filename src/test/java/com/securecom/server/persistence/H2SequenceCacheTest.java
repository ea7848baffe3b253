package com.securecom.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.server.account.Account;
import com.securecom.server.account.JpaAccountRepository;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.relay.StoredMessage;
import com.securecom.server.relay.store.JpaMessageRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema versions 3 and 7 on H2: the queue's sequence is cached, and the queue's order (by {@code
 * seq}) is still the order in which messages were stored, across a restart that drops the unused
 * rest of the cache.
 */
class H2SequenceCacheTest {
  @TempDir Path directory;

  @Test
  void theSequenceIsCached_andTheQueueKeepsItsOrderAcrossRestartsAndACrash() throws Exception {
    String url = url(directory.resolve("securecom"));
    Path crashed = directory.resolve("crashed");
    Files.createDirectories(crashed);
    for (int run = 0; run < 3; run++) {
      try (Database database = new Database(new DatabaseSettings(url, "sa", "", 2))) {
        if (run == 0) {
          JpaAccountRepository accounts = new JpaAccountRepository(database);
          database.atomically(tx -> accounts.add(tx, new Account("bob", "not a hash", 0)));
        }
        Number cache =
            database.inTransaction(
                em ->
                    (Number)
                        em.createNativeQuery(
                                "SELECT identity_cache FROM information_schema.columns"
                                    + " WHERE table_name = 'relay_message' AND column_name = 'seq'")
                            .getSingleResult());
        assertThat(cache.longValue()).isEqualTo(H2SequenceCache.CACHE);
        JpaMessageRepository messages = new JpaMessageRepository(database, Clock.systemUTC());
        for (int i = 0; i < 3; i++) {
          messages.store(
              new StoredMessage(
                  0, "alice", "run" + run + "-" + i, "bob", new byte[] {1}, 1, Long.MAX_VALUE),
              100);
        }
        if (run == 2) {
          // the file as a crash now leaves it: every commit is on disk (WRITE_DELAY=0), and the
          // sequence's position only as far as it was last saved
          Files.copy(
              directory.resolve("securecom.mv.db"),
              crashed.resolve("securecom.mv.db"),
              StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }

    String afterCrash = url(crashed.resolve("securecom"));
    try (Database database = new Database(new DatabaseSettings(afterCrash, "sa", "", 2))) {
      new JpaMessageRepository(database, Clock.systemUTC())
          .store(
              new StoredMessage(
                  0, "alice", "after-crash", "bob", new byte[] {1}, 1, Long.MAX_VALUE),
              100);
    }
    try (Database database = new Database(new DatabaseSettings(afterCrash, "sa", "", 2))) {
      List<StoredMessage> queued =
          new JpaMessageRepository(database, Clock.systemUTC())
              .pending(DeviceAddress.first("bob"), 0, 100);
      assertThat(queued)
          .extracting(StoredMessage::id)
          .containsExactly(
              "run0-0",
              "run0-1",
              "run0-2",
              "run1-0",
              "run1-1",
              "run1-2",
              "run2-0",
              "run2-1",
              "run2-2",
              "after-crash");
      assertThat(queued.get(9).seq())
          .as("the crash lost the unused rest of the cache: the gap shows that the cache is used")
          .isGreaterThan(queued.get(8).seq() + 1);
    }
  }

  private static String url(Path database) {
    return "jdbc:h2:file:"
        + database
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
  }
}
