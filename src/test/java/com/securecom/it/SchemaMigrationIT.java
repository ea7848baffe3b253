package com.securecom.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.JpaDeviceRepository;
import com.securecom.server.keys.JpaKeyRepository;
import com.securecom.server.keys.OneTimePreKey;
import com.securecom.server.keys.SignedPreKey;
import com.securecom.server.persistence.Database;
import com.securecom.server.persistence.DatabaseSettings;
import com.securecom.server.relay.MessageRepository;
import com.securecom.server.relay.Receipt;
import com.securecom.server.relay.StoredMessage;
import com.securecom.server.relay.store.JpaMessageRepository;
import com.securecom.server.session.JpaSessionRepository;
import com.securecom.testkit.TestDatabase;
import com.securecom.testkit.WorkDirectories;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Schema migrations over rows an older version left, on the database of the run: H2, and PostgreSQL
 * in the {@code postgres} profile (a database of the test's own). Each test builds the schema up to
 * an older version with the server's own migrations, writes rows as that version's server did, then
 * opens the current {@link Database} (which migrates) and reads them back through the current
 * repositories.
 */
class SchemaMigrationIT {
  private static final boolean POSTGRES = "postgres".equals(System.getProperty("it.db.name"));
  private static final long NOW = 1_764_547_200_000L;

  /** The repositories' time: the migrated rows were written just before it, and expire after. */
  private static final Clock AT_NOW = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

  private TestDatabase testDatabase;
  private DatabaseSettings settings;

  @BeforeEach
  void emptyDatabase() throws Exception {
    if (POSTGRES) {
      TestDatabase.Postgres postgres =
          TestDatabase.postgres(
              TestDatabase.Postgres.withDatabase(
                  System.getProperty("it.db.url"), "securecom_migration_it"),
              System.getProperty("it.db.user", "postgres"));
      testDatabase = postgres;
      settings = new DatabaseSettings(postgres.url(), "postgres", "", 2);
    } else {
      TestDatabase.H2 h2 = TestDatabase.h2(WorkDirectories.create(SchemaMigrationIT.class));
      testDatabase = h2;
      settings = new DatabaseSettings(h2.url(), "sa", "", 2);
    }
  }

  @AfterEach
  void dropDatabase() throws Exception {
    testDatabase.close();
  }

  /**
   * Version 4 (linked devices, step 2): every account becomes device 1 and keeps its signed prekey,
   * its pool of one-time prekeys and its session tokens; queued messages are not touched.
   */
  @Test
  void version4_makesEveryAccountDevice1_withItsKeysTokensAndQueueAsTheyWere() throws Exception {
    Database.migrations(settings).target("3").load().migrate();
    byte[] signedKey = bytes(32, 7);
    byte[] signature = bytes(64, 8);
    byte[] tokenHash = bytes(32, 9);
    try (Connection c = testDatabase.open()) {
      for (String user : List.of("alice", "bob")) {
        update(c, "INSERT INTO account VALUES (?, 'a hash', ?)", user, NOW - 5_000);
        update(
            c,
            "INSERT INTO identity_key VALUES (?, ?, ?, ?)",
            user,
            bytes(32, 1),
            bytes(32, 2),
            bytes(64, 3));
      }
      update(
          c,
          "INSERT INTO signed_prekey (username, key_id, public_key, signature, updated_at, created_at)"
              + " VALUES ('alice', 5, ?, ?, ?, 1764547000)",
          signedKey,
          signature,
          NOW - 4_000);
      for (long id = 10; id < 13; id++) {
        update(c, "INSERT INTO one_time_prekey VALUES ('alice', ?, ?)", id, bytes(32, (int) id));
      }
      update(
          c,
          "INSERT INTO session_token VALUES (?, 'alice', ?, ?)",
          tokenHash,
          NOW - 3_000,
          NOW + 1);
      for (String id : List.of("m1", "m2")) {
        update(
            c,
            "INSERT INTO message (sender, message_id, recipient, envelope, sent_at, expires_at)"
                + " VALUES ('bob', ?, 'alice', ?, ?, ?)",
            id,
            bytes(100, 4),
            NOW - 2_000,
            NOW + 60_000);
      }
    }

    try (Database database = new Database(settings)) {
      JpaDeviceRepository devices = new JpaDeviceRepository(database);
      JpaKeyRepository keys = new JpaKeyRepository(database, devices);
      DeviceAddress alice = DeviceAddress.first("alice");

      assertThat(devices.deviceIds("alice")).containsExactly(1);
      assertThat(devices.deviceIds("bob")).containsExactly(1);
      SignedPreKey signed = keys.signedPreKey(alice).orElseThrow();
      assertThat(signed.keyId()).isEqualTo(5);
      assertThat(signed.publicKey()).isEqualTo(signedKey);
      assertThat(signed.signature()).isEqualTo(signature);
      assertThat(signed.createdAt()).isEqualTo(1_764_547_000L);
      assertThat(keys.signedPreKey(DeviceAddress.first("bob"))).isEmpty();
      assertThat(keys.countOneTimePreKeys(alice)).isEqualTo(3);
      List<Long> taken = new ArrayList<>();
      Optional<OneTimePreKey> key;
      while ((key = keys.takeOneTimePreKey(alice)).isPresent()) {
        taken.add(key.get().keyId());
      }
      assertThat(taken).containsExactlyInAnyOrder(10L, 11L, 12L);
      assertThat(new JpaSessionRepository(database).findValid(tokenHash, NOW))
          .map(session -> session.device())
          .as("a token of device 1")
          .contains(alice);
      assertThat(new JpaMessageRepository(database, AT_NOW).pending(alice, 0, 10))
          .extracting(StoredMessage::id)
          .containsExactly("m1", "m2");
    }
    try (Connection c = testDatabase.open()) {
      assertThat(longs(c, "SELECT created_at FROM device WHERE username = 'alice'"))
          .as("a device 1 is as old as its account")
          .containsExactly(NOW - 5_000);
      assertThat(longs(c, "SELECT device_id FROM session_token")).containsExactly(1L);
      assertThat(
              longs(
                  c,
                  "SELECT COUNT(*) FROM information_schema.tables"
                      + " WHERE table_name IN ('signed_prekey', 'one_time_prekey')"))
          .as("the old key tables are gone")
          .containsExactly(0L);
    }
  }

  /**
   * Version 6 (linked devices, step 5): the queue becomes one queue per device. Every queued
   * message becomes a copy from device 1 to device 1 in its old order (the copy re-numbers {@code
   * seq}, and the new sequence continues after it), delivered ones keep their receipts, and the
   * relay's writes work on the new table.
   */
  @Test
  void version6_makesEveryMessageACopyBetweenDevices1_inItsOrder() throws Exception {
    Database.migrations(settings).target("5").load().migrate();
    try (Connection c = testDatabase.open()) {
      for (String user : List.of("alice", "bob", "carol")) {
        update(c, "INSERT INTO account VALUES (?, 'a hash', ?)", user, NOW - 5_000);
        update(
            c,
            "INSERT INTO device (username, device_id, created_at) VALUES (?, 1, ?)",
            user,
            NOW - 5_000);
      }
      // Inserted in this order, so seq orders them so; the ids sort otherwise on purpose.
      String[][] rows = {
        {"bob", "z-first", "alice"},
        {"carol", "a-second", "alice"},
        {"alice", "m-to-bob", "bob"},
        {"bob", "b-third", "alice"},
      };
      for (String[] row : rows) {
        update(
            c,
            "INSERT INTO message (sender, message_id, recipient, envelope, sent_at, expires_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)",
            row[0],
            row[1],
            row[2],
            bytes(100, 4),
            NOW - 2_000,
            NOW + 60_000);
      }
      update(
          c,
          "UPDATE message SET envelope = NULL, delivered_at = ? WHERE message_id = 'm-to-bob'",
          NOW - 1_000);
    }

    try (Database database = new Database(settings)) {
      JpaMessageRepository messages = new JpaMessageRepository(database, AT_NOW);
      DeviceAddress alice = DeviceAddress.first("alice");
      List<StoredMessage> queued = messages.pending(alice, 0, 10);
      assertThat(queued)
          .extracting(StoredMessage::id)
          .containsExactly("z-first", "a-second", "b-third");
      assertThat(queued)
          .allSatisfy(
              m -> {
                assertThat(m.senderDevice()).isEqualTo(1);
                assertThat(m.recipientDevice()).isEqualTo(1);
                assertThat(m.envelope()).isEqualTo(bytes(100, 4));
              });
      assertThat(messages.receipts(alice, 10)).containsExactly(new Receipt("m-to-bob", "bob", 1));

      StoredMessage later =
          new StoredMessage(
              DeviceAddress.first("carol"),
              "after-migration",
              alice,
              new byte[] {5},
              NOW,
              NOW + 60_000,
              null);
      assertThat(messages.store(later, 100)).isEqualTo(MessageRepository.StoreResult.STORED);
      assertThat(messages.store(later, 100))
          .as("a retry is recognised on the new table")
          .isEqualTo(MessageRepository.StoreResult.DUPLICATE);
      assertThat(messages.pending(alice, 0, 10))
          .extracting(StoredMessage::id)
          .as("a message stored after the migration queues after the migrated ones")
          .containsExactly("z-first", "a-second", "b-third", "after-migration");
    }
    try (Connection c = testDatabase.open()) {
      assertThat(
              longs(
                  c, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'message'"))
          .as("the old queue table is gone")
          .containsExactly(0L);
    }
  }

  private static byte[] bytes(int length, int fill) {
    byte[] b = new byte[length];
    java.util.Arrays.fill(b, (byte) fill);
    return b;
  }

  private static void update(Connection c, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      assertThat(statement.executeUpdate()).as(sql).isEqualTo(1);
    }
  }

  private static List<Long> longs(Connection c, String sql) throws SQLException {
    List<Long> values = new ArrayList<>();
    try (PreparedStatement statement = c.prepareStatement(sql);
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        values.add(rows.getLong(1));
      }
    }
    return values;
  }
}
