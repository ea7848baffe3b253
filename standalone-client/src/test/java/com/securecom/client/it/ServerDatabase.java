package com.securecom.client.it;

import com.securecom.client.e2e.LocalIdentity;
import com.securecom.client.e2e.PeerIdentity;
import com.securecom.client.e2e.PreKeyBundle;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.X25519;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The running server's database, opened beside it (H2 AUTO_SERVER) with the powers of whoever
 * controls the server: read every table, rewrite a stored envelope, replace a user's published
 * keys.
 */
final class ServerDatabase {
  private final PayaraServer server;

  ServerDatabase(PayaraServer server) {
    this.server = server;
  }

  /** One stored value: a column of a row, as bytes (text as UTF-8). */
  record Cell(String table, String column, byte[] value) {}

  /**
   * The envelope the server holds for message {@code id} of {@code sender}; it must still be
   * queued.
   */
  byte[] envelope(String sender, String id) throws SQLException {
    try (Connection db = server.openDatabase();
        PreparedStatement q =
            db.prepareStatement(
                "SELECT envelope FROM relay_message WHERE sender = ? AND message_id = ? AND envelope IS NOT NULL")) {
      q.setString(1, sender);
      q.setString(2, id);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          throw new AssertionError("no queued envelope for " + sender + "/" + id);
        }
        return rs.getBytes(1);
      }
    }
  }

  /**
   * Adds device {@code deviceId} to {@code username}'s account behind the account's back: a device
   * row that no list signed by the account's identity key names, as a malicious server would.
   */
  void addUnsignedDevice(String username, int deviceId) throws SQLException {
    try (Connection db = server.openDatabase();
        PreparedStatement u =
            db.prepareStatement(
                "INSERT INTO device (username, device_id, created_at) VALUES (?, ?, ?)")) {
      u.setString(1, username);
      u.setInt(2, deviceId);
      u.setLong(3, System.currentTimeMillis());
      u.executeUpdate();
    }
  }

  /**
   * Adds device {@code deviceId} to {@code username}'s account with a bundle, behind the account's
   * back, as an operator who took over the server could: a device row, a signed prekey with a
   * version 3 signature for that device by {@code signer} (not the account's identity key, whose
   * private half the server never has) and {@code oneTimePreKeys} one-time prekeys. The bundle
   * answers {@code GET /api/keys/{username}?devices=...} like any other.
   */
  void addForgedDevice(String username, int deviceId, LocalIdentity signer, int oneTimePreKeys)
      throws SQLException {
    SecureRandom random = new SecureRandom();
    long now = System.currentTimeMillis();
    PreKeyBundle.SignedPreKey signed =
        signer.signPreKey(
            deviceId, 1, now / 1000, X25519.generate(random).publicKey()); // version 3, for it
    try (Connection db = server.openDatabase()) {
      db.setAutoCommit(false);
      try (PreparedStatement device =
              db.prepareStatement(
                  "INSERT INTO device (username, device_id, created_at) VALUES (?, ?, ?)");
          PreparedStatement signedPreKey =
              db.prepareStatement(
                  "INSERT INTO device_signed_prekey (username, device_id, key_id, public_key,"
                      + " signature, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
          PreparedStatement oneTime =
              db.prepareStatement(
                  "INSERT INTO device_one_time_prekey (username, device_id, key_id, public_key)"
                      + " VALUES (?, ?, ?, ?)")) {
        device.setString(1, username);
        device.setInt(2, deviceId);
        device.setLong(3, now);
        device.executeUpdate();
        signedPreKey.setString(1, username);
        signedPreKey.setInt(2, deviceId);
        signedPreKey.setLong(3, signed.keyId());
        signedPreKey.setBytes(4, signed.publicKey());
        signedPreKey.setBytes(5, signed.signature());
        signedPreKey.setLong(6, signed.createdAt());
        signedPreKey.setLong(7, now);
        signedPreKey.executeUpdate();
        for (int keyId = 1; keyId <= oneTimePreKeys; keyId++) {
          oneTime.setString(1, username);
          oneTime.setInt(2, deviceId);
          oneTime.setLong(3, keyId);
          oneTime.setBytes(4, X25519.generate(random).publicKey());
          oneTime.executeUpdate();
        }
      }
      db.commit();
    }
  }

  /**
   * Deletes device {@code deviceId} of {@code username} and, by the schema's cascades, its prekeys
   * and tokens.
   */
  void deleteDevice(String username, int deviceId) throws SQLException {
    try (Connection db = server.openDatabase();
        PreparedStatement u =
            db.prepareStatement("DELETE FROM device WHERE username = ? AND device_id = ?")) {
      u.setString(1, username);
      u.setInt(2, deviceId);
      if (u.executeUpdate() != 1) {
        throw new AssertionError("no device " + deviceId + " of " + username);
      }
    }
  }

  /**
   * Moves what the server holds of device {@code deviceId} of {@code username} back by {@code by},
   * as if it had all happened that much earlier: the messages queued for it (sent and expiring
   * earlier), its tokens (issued and expiring earlier) and when it was last seen.
   *
   * @return how many queued messages were moved
   */
  int ageDevice(String username, int deviceId, Duration by) throws SQLException {
    long ms = by.toMillis();
    try (Connection db = server.openDatabase()) {
      db.setAutoCommit(false);
      int messages;
      try (PreparedStatement queued =
              db.prepareStatement(
                  "UPDATE relay_message SET sent_at = sent_at - ?, expires_at = expires_at - ?"
                      + " WHERE recipient = ? AND recipient_device = ? AND delivered_at IS NULL");
          PreparedStatement tokens =
              db.prepareStatement(
                  "UPDATE session_token SET created_at = created_at - ?, expires_at = expires_at - ?"
                      + " WHERE username = ? AND device_id = ?");
          PreparedStatement seen =
              db.prepareStatement(
                  "UPDATE device SET last_seen_at = last_seen_at - ?"
                      + " WHERE username = ? AND device_id = ? AND last_seen_at IS NOT NULL")) {
        for (PreparedStatement u : List.of(queued, tokens)) {
          u.setLong(1, ms);
          u.setLong(2, ms);
          u.setString(3, username);
          u.setInt(4, deviceId);
        }
        messages = queued.executeUpdate();
        if (tokens.executeUpdate() == 0) {
          throw new AssertionError("no token of device " + deviceId + " of " + username);
        }
        seen.setLong(1, ms);
        seen.setString(2, username);
        seen.setInt(3, deviceId);
        seen.executeUpdate();
      }
      db.commit();
      return messages;
    }
  }

  /** The signed prekey the server publishes for device {@code deviceId} of {@code username}. */
  record PublishedSignedPreKey(long keyId, byte[] publicKey, byte[] signature, long createdAt) {}

  PublishedSignedPreKey signedPreKey(String username, int deviceId) throws SQLException {
    try (Connection db = server.openDatabase();
        PreparedStatement q =
            db.prepareStatement(
                "SELECT key_id, public_key, signature, created_at FROM device_signed_prekey"
                    + " WHERE username = ? AND device_id = ?")) {
      q.setString(1, username);
      q.setInt(2, deviceId);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          throw new AssertionError("no signed prekey of device " + deviceId + " of " + username);
        }
        return new PublishedSignedPreKey(
            rs.getLong(1), rs.getBytes(2), rs.getBytes(3), rs.getLong(4));
      }
    }
  }

  /** True if the server has a device {@code deviceId} of {@code username}. */
  boolean hasDevice(String username, int deviceId) throws SQLException {
    return count(
            "SELECT COUNT(*) FROM device WHERE username = ? AND device_id = ?", username, deviceId)
        > 0;
  }

  /** True once device {@code deviceId} of {@code username} has authenticated on the channel. */
  boolean hasConnected(String username, int deviceId) throws SQLException {
    return count(
            "SELECT COUNT(*) FROM device WHERE username = ? AND device_id = ?"
                + " AND last_seen_at IS NOT NULL",
            username,
            deviceId)
        > 0;
  }

  /** The count {@code query} answers with its parameters {@code values}, in order. */
  private int count(String query, Object... values) throws SQLException {
    try (Connection db = server.openDatabase();
        PreparedStatement q = db.prepareStatement(query)) {
      for (int i = 0; i < values.length; i++) {
        q.setObject(i + 1, values[i]);
      }
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** A device list as the server stores it: the bytes it serves. */
  record StoredList(long serial, byte[] body, byte[] signature) {}

  /** The device list the server stores for {@code username}. */
  StoredList deviceList(String username) throws SQLException {
    try (Connection db = server.openDatabase();
        PreparedStatement q =
            db.prepareStatement(
                "SELECT serial, body, signature FROM device_list WHERE username = ?")) {
      q.setString(1, username);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          throw new AssertionError("no device list for " + username);
        }
        return new StoredList(rs.getLong(1), rs.getBytes(2), rs.getBytes(3));
      }
    }
  }

  /**
   * Replaces {@code username}'s stored device list with {@code list}, whoever signed it, as a
   * malicious server (or anyone with its database) could: the server serves it as it is.
   */
  void replaceDeviceList(String username, StoredList list) throws SQLException {
    try (Connection db = server.openDatabase();
        PreparedStatement u =
            db.prepareStatement(
                "UPDATE device_list SET serial = ?, body = ?, signature = ? WHERE username = ?")) {
      u.setLong(1, list.serial());
      u.setBytes(2, list.body());
      u.setBytes(3, list.signature());
      u.setString(4, username);
      if (u.executeUpdate() != 1) {
        throw new AssertionError("no device list for " + username);
      }
    }
  }

  /** How many copies the server holds (or held) for device {@code deviceId} of {@code username}. */
  int copiesFor(String username, int deviceId) throws SQLException {
    try (Connection db = server.openDatabase();
        PreparedStatement q =
            db.prepareStatement(
                "SELECT COUNT(*) FROM relay_message WHERE recipient = ? AND recipient_device = ?")) {
      q.setString(1, username);
      q.setInt(2, deviceId);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /**
   * Hands the queued copy of message {@code id} of {@code sender} for device 1 of {@code from} to
   * device 1 of {@code to} instead, envelope unchanged, as a server (or anyone with its database)
   * could.
   */
  void redirectCopy(String sender, String id, String from, String to) throws SQLException {
    try (Connection db = server.openDatabase();
        PreparedStatement u =
            db.prepareStatement(
                "UPDATE relay_message SET recipient = ? WHERE sender = ? AND message_id = ? AND recipient = ? AND recipient_device = 1 AND envelope IS NOT NULL")) {
      u.setString(1, to);
      u.setString(2, sender);
      u.setString(3, id);
      u.setString(4, from);
      if (u.executeUpdate() != 1) {
        throw new AssertionError("no queued copy of " + sender + "/" + id + " for " + from);
      }
    }
  }

  /**
   * How many copies of message {@code id} of {@code sender} the server holds for {@code recipient}.
   */
  int copiesOf(String sender, String id, String recipient) throws SQLException {
    return count(
        "SELECT COUNT(*) FROM relay_message WHERE sender = ? AND message_id = ? AND recipient = ?",
        sender,
        id,
        recipient);
  }

  /** Replaces a queued envelope, as a server (or anyone with its database) could. */
  void replaceEnvelope(String sender, String id, byte[] envelope) throws SQLException {
    try (Connection db = server.openDatabase();
        PreparedStatement u =
            db.prepareStatement(
                "UPDATE relay_message SET envelope = ? WHERE sender = ? AND message_id = ? AND envelope IS NOT NULL")) {
      u.setBytes(1, envelope);
      u.setString(2, sender);
      u.setString(3, id);
      if (u.executeUpdate() != 1) {
        throw new AssertionError("no queued envelope for " + sender + "/" + id);
      }
    }
  }

  /**
   * How many messages from {@code sender} to {@code recipient} the server holds (queued or awaiting
   * a receipt).
   */
  int messageCount(String sender, String recipient) throws SQLException {
    try (Connection db = server.openDatabase();
        PreparedStatement q =
            db.prepareStatement(
                "SELECT COUNT(*) FROM relay_message WHERE sender = ? AND recipient = ?")) {
      q.setString(1, sender);
      q.setString(2, recipient);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** The identity the registry publishes for {@code username}. */
  PeerIdentity publishedIdentity(String username) throws SQLException {
    try (Connection db = server.openDatabase();
        PreparedStatement q =
            db.prepareStatement(
                "SELECT public_key, dh_public_key, dh_signature FROM identity_key WHERE username = ?")) {
      q.setString(1, username);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          throw new AssertionError("no identity for " + username);
        }
        return new PeerIdentity(username, rs.getBytes(1), rs.getBytes(2), rs.getBytes(3));
      }
    }
  }

  /**
   * The malicious registry: publishes the attacker's identity, signed prekey and one-time prekeys
   * as {@code victim}'s, in one transaction, behind the server's back.
   */
  void replaceKeys(String victim, Impostor impostor) throws SQLException {
    try (Connection db = server.openDatabase()) {
      db.setAutoCommit(false);
      try (PreparedStatement identity =
              db.prepareStatement(
                  "UPDATE identity_key SET public_key = ?, dh_public_key = ?, dh_signature = ? WHERE username = ?");
          PreparedStatement signed =
              db.prepareStatement(
                  "UPDATE device_signed_prekey SET key_id = ?, public_key = ?, signature = ?"
                      + " WHERE username = ? AND device_id = 1");
          PreparedStatement dropOneTime =
              db.prepareStatement(
                  "DELETE FROM device_one_time_prekey WHERE username = ? AND device_id = 1");
          PreparedStatement addOneTime =
              db.prepareStatement(
                  "INSERT INTO device_one_time_prekey (username, device_id, key_id, public_key)"
                      + " VALUES (?, 1, ?, ?)")) {
        identity.setBytes(1, impostor.identity().identityKey());
        identity.setBytes(2, impostor.identity().identityDhKey());
        identity.setBytes(3, impostor.identity().identityDhSignature());
        identity.setString(4, victim);
        signed.setLong(1, impostor.signedPreKey().keyId());
        signed.setBytes(2, impostor.signedPreKey().publicKey());
        signed.setBytes(3, impostor.signedPreKey().signature());
        signed.setString(4, victim);
        if (identity.executeUpdate() != 1 || signed.executeUpdate() != 1) {
          throw new AssertionError("no keys registered for " + victim);
        }
        dropOneTime.setString(1, victim);
        dropOneTime.executeUpdate();
        for (var key : impostor.oneTimePreKeys().entrySet()) {
          addOneTime.setString(1, victim);
          addOneTime.setLong(2, key.getKey());
          addOneTime.setBytes(3, key.getValue().publicKey());
          addOneTime.executeUpdate();
        }
      }
      db.commit();
    }
  }

  /** Every non-null value in every table of the application's schema. */
  List<Cell> everyValue() throws SQLException {
    List<Cell> cells = new ArrayList<>();
    try (Connection db = server.openDatabase()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          db.getMetaData().getTables(null, "public", "%", new String[] {"TABLE", "BASE TABLE"})) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME"));
        }
      }
      for (String table : tables) {
        try (Statement s = db.createStatement();
            ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
          ResultSetMetaData meta = rs.getMetaData();
          while (rs.next()) {
            for (int column = 1; column <= meta.getColumnCount(); column++) {
              Object value = rs.getObject(column);
              if (value != null) {
                byte[] bytes =
                    value instanceof byte[] raw
                        ? raw
                        : value.toString().getBytes(StandardCharsets.UTF_8);
                cells.add(new Cell(table, meta.getColumnName(column), bytes));
              }
            }
          }
        }
      }
    }
    return cells;
  }

  /**
   * The raw bytes of the database's files (all of them, one after the other), as anyone with the
   * disk sees them.
   */
  byte[] files() throws IOException {
    List<byte[]> contents = new ArrayList<>();
    try (Stream<Path> files = Files.list(server.databaseDirectory())) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        contents.add(Files.readAllBytes(file));
      }
    }
    if (contents.isEmpty()) {
      throw new AssertionError("no database files in " + server.databaseDirectory());
    }
    return Bytes.concat(contents.toArray(byte[][]::new));
  }

  /** Makes H2 write everything it holds in memory to the database file. */
  void checkpoint() throws SQLException {
    try (Connection db = server.openDatabase();
        Statement s = db.createStatement()) {
      s.execute("CHECKPOINT SYNC");
    }
  }
}
