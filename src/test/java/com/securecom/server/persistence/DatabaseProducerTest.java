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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseProducerTest {
  @TempDir Path temp;

  private final List<Driver> drivers = driversNow();

  private static List<Driver> driversNow() {
    org.h2.Driver.load(); // registered (once per JVM) before the snapshot
    return Collections.list(DriverManager.getDrivers());
  }

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
    assertThat(Collections.list(DriverManager.getDrivers()))
        .anyMatch(driver -> driver instanceof org.h2.Driver);

    producer.close(database);

    assertThat(Collections.list(DriverManager.getDrivers()))
        .noneMatch(driver -> driver instanceof org.h2.Driver);
  }

  /** Other tests in this JVM reach H2 through DriverManager: put back what close() took away. */
  @AfterEach
  void reregisterDrivers() throws Exception {
    List<Driver> now = Collections.list(DriverManager.getDrivers());
    for (Driver driver : drivers) {
      if (!now.contains(driver)) {
        DriverManager.registerDriver(driver);
      }
    }
  }
}
