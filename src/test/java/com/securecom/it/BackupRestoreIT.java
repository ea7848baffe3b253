package com.securecom.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.it.support.Api;
import com.securecom.it.support.ChannelClient;
import com.securecom.it.support.PayaraServer;
import com.securecom.it.support.TestUser;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.wire.WireMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The backup and restore of docs/operations.md, run as written: a server with its data directory
 * ({@code securecom.data.dir}) holds a message for an offline user; the operator backs up (H2:
 * stops the server and archives the data directory with {@code tar}; PostgreSQL: {@code pg_dump}
 * while it runs, and the data directory for the key), loses everything, restores and starts again.
 * Clients still trust the server (same key) and the queued message is delivered. Runs on H2, and on
 * PostgreSQL in the {@code postgres} profile.
 */
class BackupRestoreIT {
  private static final boolean POSTGRES = "postgres".equals(System.getProperty("it.db.name"));

  @Test
  void backUpWipeRestore_keepsTheServerKey_andDeliversTheQueuedMessage() throws Exception {
    Path work =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "it").toAbsolutePath()), "backup-");
    Path data = work.resolve("data");
    Path backup = work.resolve("backup");
    Files.createDirectories(backup);
    String database = "securecom_backup_" + UUID.randomUUID().toString().replace("-", "");
    Map<String, String> properties = new HashMap<>();
    properties.put("securecom.data.dir", data.toString());
    if (POSTGRES) {
      run(work, "createdb", "-h", "127.0.0.1", "-U", "postgres", database);
      properties.put("securecom.db.url", "jdbc:postgresql://127.0.0.1:5432/" + database);
      properties.put("securecom.db.user", "postgres");
    }
    TestUser alice = TestUser.named("alice");
    TestUser bob = TestUser.named("bob");
    String id = UUID.randomUUID().toString();
    String envelope = Bytes.base64("kept across the restore".getBytes(StandardCharsets.UTF_8));
    byte[] serverKey;
    try {
      try (PayaraServer server = PayaraServer.start(work, properties)) {
        Api api = server.api();
        serverKey = api.serverKey();
        String aliceToken = api.signUp(alice);
        api.register(bob, 5); // bob stays offline
        try (ChannelClient a = ChannelClient.open(api, aliceToken)) {
          a.send(new WireMessage.Send(id, bob.username, envelope));
          assertThat(a.expect(WireMessage.Accepted.class).id()).isEqualTo(id);
        }
        if (POSTGRES) { // docs/operations.md: pg_dump runs while the server does
          run(
              work,
              "pg_dump",
              "-h",
              "127.0.0.1",
              "-U",
              "postgres",
              "-Fc",
              "-f",
              backup.resolve("securecom.dump").toString(),
              database);
        }
      } // stopped (SIGTERM, as systemctl stop does)
      // docs/operations.md: archive the data directory while the server is stopped
      run(work, "tar", "-C", data.toString(), "-cf", backup.resolve("data.tar").toString(), ".");

      deleteRecursively(data);
      if (POSTGRES) {
        run(work, "dropdb", "-h", "127.0.0.1", "-U", "postgres", database);
        run(work, "createdb", "-h", "127.0.0.1", "-U", "postgres", database);
        run(
            work,
            "pg_restore",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            database,
            backup.resolve("securecom.dump").toString());
      }
      assertThat(data).doesNotExist();
      Files.createDirectories(data);
      run(work, "tar", "-C", data.toString(), "-xpf", backup.resolve("data.tar").toString());

      try (PayaraServer server = PayaraServer.start(work, properties)) {
        Api api = server.api();
        assertThat(api.serverKey()).as("the key clients pinned").isEqualTo(serverKey);
        try (ChannelClient b = ChannelClient.connect(api)) {
          b.handshake(serverKey); // a client that pinned the key before the backup
          b.send(new WireMessage.Auth(api.login(bob), 1));
          assertThat(b.next()).isInstanceOf(WireMessage.Ready.class);
          WireMessage.Deliver deliver = b.expect(WireMessage.Deliver.class);
          assertThat(deliver.id()).isEqualTo(id);
          assertThat(deliver.from()).isEqualTo(alice.username);
          assertThat(deliver.envelope()).isEqualTo(envelope);
        }
        assertPrivate(data);
      }
    } finally {
      if (POSTGRES) {
        run(work, "dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", database);
      }
    }
  }

  /** The data directory 0700, everything in it 0600 (directories 0700). */
  static void assertPrivate(Path data) throws IOException {
    assertThat(mode(data)).isEqualTo("rwx------");
    List<Path> entries;
    try (Stream<Path> walk = Files.walk(data)) {
      entries = walk.skip(1).toList();
    }
    assertThat(entries).isNotEmpty();
    for (Path entry : entries) {
      assertThat(mode(entry))
          .as(entry.toString())
          .isEqualTo(Files.isDirectory(entry) ? "rwx------" : "rw-------");
    }
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
  }

  private static void run(Path directory, String... command) throws Exception {
    Process process =
        new ProcessBuilder(new ArrayList<>(List.of(command)))
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed: " + output);
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
