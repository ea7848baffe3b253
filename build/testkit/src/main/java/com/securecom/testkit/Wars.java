package com.securecom.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.zip.ZipFile;

/** The build's outputs a server runs: found, and copied whole before use. */
final class Wars {
  private Wars() {}

  /**
   * The file named by system property {@code property}, else {@code target/<name>} of the
   * repository's top: the working directory, or its parent when a module's tests run.
   */
  static Path required(String property, String name) {
    String given = System.getProperty(property);
    Path file;
    if (given != null && !given.isBlank()) {
      file = Path.of(given).toAbsolutePath().normalize();
    } else {
      file = Path.of("target", name).toAbsolutePath();
      Path fromModule = Path.of("..", "target", name).toAbsolutePath().normalize();
      if (!Files.isRegularFile(file) && Files.isRegularFile(fromModule)) {
        file = fromModule;
      }
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          file
              + " does not exist (system property "
              + property
              + "); build the server first: mvn package -DskipTests -DskipClient=true");
    }
    return file;
  }

  /**
   * A copy of {@code original} in {@code directory}, checked to be a whole zip file: the server
   * reads the WAR while it deploys, and a build running at the same time may be rewriting the
   * original.
   */
  static Path snapshot(Path original, Path directory) throws Exception {
    Path copy = directory.resolve(original.getFileName());
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      Files.copy(original, copy, StandardCopyOption.REPLACE_EXISTING);
      try (ZipFile zip = new ZipFile(copy.toFile())) {
        for (var entries = zip.entries(); entries.hasMoreElements(); ) {
          try (InputStream in = zip.getInputStream(entries.nextElement())) {
            in.transferTo(OutputStream.nullOutputStream());
          }
        }
        return copy;
      } catch (IOException incomplete) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(original + " is not a readable WAR", incomplete);
        }
        Thread.sleep(2000); // being written
      }
    }
  }
}
