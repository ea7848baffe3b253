package com.securecom.server.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.server.config.DataDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Driver;
import java.sql.DriverManager;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseProducerTest {
  @TempDir Path temp;

  @Test
  void withoutAUrl_theDatabaseIsAnH2FileInTheDataDirectory_readableOnlyByTheServer()
      throws Exception {
    Path dir = temp.resolve("data");
    DatabaseProducer producer = new DatabaseProducer();

    Database database =
        producer.open(new DataDirectory(dir), Optional.empty(), "sa", Optional.empty(), 2);
    try {
      assertThat(database.isReachable()).isTrue();
      database.execute(
          em -> em.createNativeQuery("SELECT COUNT(*) FROM account").getSingleResult());
    } finally {
      producer.close(database);
    }

    assertThat(Files.size(dir.resolve("securecom.mv.db"))).isPositive();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.toList();
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .as(file.toString())
          .isEqualTo("rw-------");
    }
  }

  @Test
  void close_deregistersTheDriversOfThisClassLoader() throws Exception {
    DatabaseProducer producer = new DatabaseProducer();
    Database database =
        producer.open(
            new DataDirectory(temp.resolve("data")), Optional.empty(), "sa", Optional.empty(), 2);
    List<Driver> before = Collections.list(DriverManager.getDrivers());
    assertThat(before).anyMatch(driver -> driver instanceof org.h2.Driver);
    try {
      producer.close(database);

      assertThat(Collections.list(DriverManager.getDrivers()))
          .noneMatch(driver -> driver instanceof org.h2.Driver);
    } finally {
      // other tests in this JVM reach H2 through DriverManager: put the same drivers back
      List<Driver> after = Collections.list(DriverManager.getDrivers());
      for (Driver driver : before) {
        if (!after.contains(driver)) {
          DriverManager.registerDriver(driver);
        }
      }
    }
  }
}
