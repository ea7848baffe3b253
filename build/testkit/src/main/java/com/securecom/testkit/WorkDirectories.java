package com.securecom.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Scratch directories for integration tests. */
public final class WorkDirectories {
  private WorkDirectories() {}

  /**
   * A new directory {@code <prefix>-*} under {@code securecom.it.work} (default {@code target/it}
   * of the working directory).
   */
  public static Path create(String prefix) throws IOException {
    Path base = Path.of(System.getProperty("securecom.it.work", "target/it")).toAbsolutePath();
    Files.createDirectories(base);
    return Files.createTempDirectory(base, prefix + "-");
  }

  /** A new directory for one test class, named after it. */
  public static Path create(Class<?> testClass) throws IOException {
    return create(testClass.getSimpleName());
  }

  /** Deletes {@code dir} and everything in it; nothing if it does not exist. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
