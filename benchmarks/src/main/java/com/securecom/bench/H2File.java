package com.securecom.bench;

import com.securecom.server.account.Account;
import com.securecom.server.account.JpaAccountRepository;
import com.securecom.server.persistence.Database;
import com.securecom.server.persistence.DatabaseSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The server's default database for a benchmark: an H2 file in a fresh temporary directory, with
 * the server's schema, every commit forced ({@code WRITE_DELAY=0}, as {@code accepted} needs), and
 * the accounts the benchmark's messages name. {@link #close} deletes it.
 */
final class H2File implements AutoCloseable {
  final Database database;
  private final Path directory;

  H2File(String prefix, Collection<String> accounts) throws IOException {
    directory = Files.createTempDirectory(prefix);
    database =
        new Database(
            new DatabaseSettings(
                "jdbc:h2:file:"
                    + directory.resolve("securecom")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
                    + "WRITE_DELAY=0",
                "sa",
                "",
                4));
    JpaAccountRepository repository = new JpaAccountRepository(database);
    database.atomically(
        tx -> {
          for (String name : accounts) {
            repository.add(tx, new Account(name, "not a hash", 0));
          }
        });
  }

  @Override
  public void close() throws IOException {
    database.close();
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
