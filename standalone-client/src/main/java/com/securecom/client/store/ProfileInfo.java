package com.securecom.client.store;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.Fingerprint;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonWriter;
import jakarta.json.stream.JsonGenerator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The non-secret facts of a profile, kept in the clear in {@code profile.json}: the server's URL,
 * the username, the server's pinned Ed25519 public key (standard base64) with its {@link
 * Fingerprint}, and when the profile was made. The file is not secret but it is integrity-checked:
 * its exact bytes are bound into the state's encryption.
 */
public record ProfileInfo(
    URI serverUrl,
    String username,
    String serverPublicKey,
    String serverFingerprint,
    Instant createdAt) {

  /**
   * @throws IllegalArgumentException if the key is not 32 bytes of base64 or the fingerprint is not
   *     its own
   */
  public ProfileInfo {
    Objects.requireNonNull(serverUrl, "serverUrl");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(serverPublicKey, "serverPublicKey");
    Objects.requireNonNull(serverFingerprint, "serverFingerprint");
    Objects.requireNonNull(createdAt, "createdAt");
    if (username.isEmpty()) {
      throw new IllegalArgumentException("username is empty");
    }
    byte[] key = Bytes.fromBase64(serverPublicKey);
    if (key.length != Ed25519.KEY_BYTES) {
      throw new IllegalArgumentException("server public key must be 32 bytes");
    }
    if (!Fingerprint.of(key).equals(serverFingerprint)) {
      throw new IllegalArgumentException("server fingerprint does not match its key");
    }
  }

  public static ProfileInfo of(
      URI serverUrl, String username, byte[] serverPublicKey, Instant createdAt) {
    return new ProfileInfo(
        serverUrl,
        username,
        Bytes.base64(serverPublicKey),
        Fingerprint.of(serverPublicKey),
        createdAt);
  }

  public byte[] serverPublicKeyBytes() {
    return Bytes.fromBase64(serverPublicKey);
  }

  /** The {@code profile.json} bytes: pretty-printed UTF-8 JSON. */
  byte[] toJsonBytes() {
    JsonObject json =
        Json.createObjectBuilder()
            .add("serverUrl", serverUrl.toString())
            .add("username", username)
            .add("serverPublicKey", serverPublicKey)
            .add("serverFingerprint", serverFingerprint)
            .add("createdAt", createdAt.toString())
            .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonWriter writer =
        Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(out)) {
      writer.writeObject(json);
    }
    out.write('\n');
    return out.toByteArray();
  }

  /**
   * Parses {@code profile.json} bytes.
   *
   * @throws RuntimeException (a {@code JsonException}, {@code ClassCastException}, {@code
   *     NullPointerException}, {@code IllegalArgumentException} or {@code DateTimeParseException})
   *     if they are not a valid profile
   */
  static ProfileInfo fromJsonBytes(byte[] bytes) {
    JsonObject json = Json.createReader(new ByteArrayInputStream(bytes)).readObject();
    return new ProfileInfo(
        URI.create(json.getString("serverUrl")),
        json.getString("username"),
        json.getString("serverPublicKey"),
        json.getString("serverFingerprint"),
        Instant.parse(json.getString("createdAt")));
  }
}
