package com.securecom.client.keyring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * A stand-in for libsecret's {@code secret-tool} (CI has no Secret Service on D-Bus): a shell
 * script in {@code <dir>/bin} that keeps each entry as a file under {@code <dir>/secrets}, answers
 * like the real tool (lookup of a missing entry: exit 1, nothing on stderr) and appends its
 * arguments to {@code <dir>/argv.log}.
 */
public final class FakeSecretTool {
  private static final String WORKING =
      """
      #!/bin/sh
      here="$(dirname "$0")/.."
      printf '%s\\n' "$*" >> "$here/argv.log"
      command="$1"; shift
      [ "$command" = store ] && shift  # --label=...
      key=$(printf '%s' "$*" | tr -c 'A-Za-z0-9' '_')
      mkdir -p "$here/secrets"
      case "$command" in
        store) cat > "$here/secrets/$key" ;;
        lookup) [ -f "$here/secrets/$key" ] || exit 1; cat "$here/secrets/$key" ;;
        clear) rm -f "$here/secrets/$key" ;;
        *) echo "usage: secret-tool store|lookup|clear" >&2; exit 2 ;;
      esac
      """;
  private static final String NO_SECRET_SERVICE =
      """
      #!/bin/sh
      printf '%s\\n' "$*" >> "$(dirname "$0")/../argv.log"
      cat > /dev/null
      echo "secret-tool: Cannot autolaunch D-Bus without X11 \\$DISPLAY" >&2
      exit 1
      """;

  private final Path dir;

  private FakeSecretTool(Path dir) {
    this.dir = dir;
  }

  /** A working keyring in {@code dir}. */
  public static FakeSecretTool install(Path dir) throws IOException {
    return write(dir, WORKING);
  }

  /**
   * {@code secret-tool} installed, but no Secret Service to talk to (a server without a desktop
   * session).
   */
  public static FakeSecretTool withoutSecretService(Path dir) throws IOException {
    return write(dir, NO_SECRET_SERVICE);
  }

  private static FakeSecretTool write(Path dir, String script) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path tool = bin.resolve("secret-tool");
    Files.writeString(tool, script, StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
    return new FakeSecretTool(dir);
  }

  public Path binDirectory() {
    return dir.resolve("bin");
  }

  public Keyring keyring() {
    return new SecretToolKeyring(binDirectory().resolve("secret-tool"));
  }

  /** Every command line the tool was run with, one per line. */
  public String argumentsLog() throws IOException {
    Path log = dir.resolve("argv.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** How many entries the keyring holds. */
  public long entries() throws IOException {
    Path secrets = dir.resolve("secrets");
    if (!Files.isDirectory(secrets)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(secrets)) {
      return files.count();
    }
  }

  /** Forgets every entry, as if the user had cleared the keyring. */
  public void forgetEverything() throws IOException {
    Path secrets = dir.resolve("secrets");
    if (Files.isDirectory(secrets)) {
      try (Stream<Path> files = Files.list(secrets)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Files.delete(file);
        }
      }
    }
  }

  /** True if this system can run the script (a POSIX shell and file permissions). */
  public static boolean runnable() {
    return Files.isExecutable(Path.of("/bin/sh"));
  }
}
