package com.securecom.client.it;

import com.securecom.protocol.crypto.Bytes;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Labelled byte strings to look for in what the server stores. A key is looked for raw and in every
 * text encoding a careless server or client could have written it in (base64 with or without
 * padding, base64url, hex); a text as UTF-8. Fast enough for thousands of needles in a database
 * file: candidates are found by their first 8 bytes.
 */
final class Needles {
  private static final int PREFIX = 8;
  private final Map<Long, List<Needle>> byPrefix = new HashMap<>();
  private int count;

  private record Needle(String label, byte[] bytes) {}

  void addText(String label, String text) {
    add(label, text.getBytes(StandardCharsets.UTF_8));
  }

  void addKey(String label, byte[] key) {
    add(label + " (raw)", key);
    add(
        label + " (base64)",
        Base64.getEncoder()
            .withoutPadding()
            .encodeToString(key)
            .getBytes(StandardCharsets.US_ASCII));
    add(
        label + " (base64url)",
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(key)
            .getBytes(StandardCharsets.US_ASCII));
    add(label + " (hex)", HexFormat.of().formatHex(key).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Every private key and other secret in a decrypted profile state ({@code ProfileData}'s JSON):
   * the identity keys, the signed and one-time prekeys, the bearer token, and every ratchet
   * session's root, chain, ratchet and skipped message keys.
   */
  void addSecretsOfProfile(String user, JsonObject state) {
    JsonObject identity = state.getJsonObject("identity");
    addKey(user + "'s identity signing key", Bytes.fromBase64(identity.getString("signing")));
    addKey(user + "'s identity DH key", Bytes.fromBase64(identity.getString("dh")));
    for (JsonValue spk : state.getJsonArray("signedPreKeys")) {
      addKey(
          user + "'s signed prekey " + spk.asJsonObject().getJsonNumber("keyId"),
          Bytes.fromBase64(spk.asJsonObject().getString("private")));
    }
    state
        .getJsonObject("oneTimePreKeys")
        .forEach(
            (keyId, key) ->
                addKey(
                    user + "'s one-time prekey " + keyId,
                    Bytes.fromBase64(((JsonString) key).getString())));
    if (state.containsKey("token")) {
      addText(user + "'s bearer token", state.getString("token"));
    }
    state
        .getJsonObject("sessions")
        .forEach(
            (peer, record) -> {
              byte[] bytes = Bytes.fromBase64(((JsonString) record).getString());
              try (JsonReader reader = Json.createReader(new ByteArrayInputStream(bytes))) {
                for (JsonValue session : reader.readObject().getJsonArray("sessions")) {
                  addSessionKeys(user + "'s session with " + peer, session.asJsonObject());
                }
              }
            });
  }

  private void addSessionKeys(String label, JsonObject session) {
    for (String name :
        List.of("rootKey", "sendingRatchetPrivateKey", "sendingChainKey", "receivingChainKey")) {
      if (session.containsKey(name)) {
        addKey(label + ": " + name, Bytes.fromBase64(session.getString(name)));
      }
    }
    for (JsonValue skipped : session.getJsonArray("skipped")) {
      addKey(
          label + ": skipped message key",
          Bytes.fromBase64(skipped.asJsonObject().getString("messageKey")));
    }
  }

  int size() {
    return count;
  }

  /** The labels of the needles that occur in {@code haystack}. */
  Set<String> foundIn(byte[] haystack) {
    Set<String> found = new TreeSet<>();
    ByteBuffer buffer = ByteBuffer.wrap(haystack);
    for (int at = 0; at + PREFIX <= haystack.length; at++) {
      List<Needle> candidates = byPrefix.get(buffer.getLong(at));
      if (candidates != null) {
        for (Needle n : candidates) {
          if (matchesAt(haystack, at, n.bytes())) {
            found.add(n.label());
          }
        }
      }
    }
    return found;
  }

  private void add(String label, byte[] bytes) {
    if (bytes.length < PREFIX) {
      throw new IllegalArgumentException(label + " is too short to look for");
    }
    byPrefix
        .computeIfAbsent(ByteBuffer.wrap(bytes).getLong(0), k -> new ArrayList<>(1))
        .add(new Needle(label, bytes.clone()));
    count++;
  }

  private static boolean matchesAt(byte[] haystack, int at, byte[] needle) {
    if (at + needle.length > haystack.length) {
      return false;
    }
    for (int i = 0; i < needle.length; i++) {
      if (haystack[at + i] != needle[i]) {
        return false;
      }
    }
    return true;
  }
}
