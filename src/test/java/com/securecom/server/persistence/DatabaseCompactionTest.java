package com.securecom.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.server.account.Account;
import com.securecom.server.account.JpaAccountRepository;
import com.securecom.server.relay.StoredMessage;
import com.securecom.server.relay.store.JpaMessageRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The H2 file returns to a bounded size once the queue drains (H2 itself never shrinks an open
 * file).
 */
class DatabaseCompactionTest {
  @TempDir Path directory;

  @Test
  void drainedQueue_compactsTheFileBackToAFewMegabytes() throws Exception {
    Path file = directory.resolve("securecom.mv.db");
    String url =
        "jdbc:h2:file:"
            + directory.resolve("securecom")
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
    try (Database database = new Database(new DatabaseSettings(url, "sa", "", 2))) {
      JpaAccountRepository accounts = new JpaAccountRepository(database);
      database.atomically(tx -> accounts.add(tx, new Account("bob", "not a hash", 0)));
      JpaMessageRepository messages = new JpaMessageRepository(database, Clock.systemUTC());
      byte[] envelope = new byte[65_536];
      new Random(1).nextBytes(envelope);
      for (int i = 0; i < 400; i++) {
        messages.store(new StoredMessage(0, "alice", "m" + i, "bob", envelope, 1, 2), 10_000);
      }
      assertThat(messages.purgeExpired(Long.MAX_VALUE)).isEqualTo(400);
      long drained = Files.size(file);

      assertThat(database.compact(5_000)).isTrue();

      long compacted = Files.size(file);
      System.out.printf(
          "H2 file: %,d bytes after 400 x 64 KiB stored and deleted, %,d after compaction%n",
          drained, compacted);
      assertThat(drained).as("H2 does not shrink by itself").isGreaterThan(20L << 20);
      assertThat(compacted).isLessThan(4L << 20);
    }
  }

  @Test
  void inMemoryDatabase_isNotCompacted() {
    try (Database database =
        new Database(
            new DatabaseSettings(
                "jdbc:h2:mem:compaction;MODE=PostgreSQL;"
                    + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "sa",
                "",
                2))) {
      assertThat(database.compact(100)).isFalse();
    }
  }
}
