package com.securecom.client.app;

import com.securecom.client.e2e.LocalIdentity;
import com.securecom.client.e2e.PeerIdentity;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.X25519;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything secret or integrity-critical a profile holds, as one JSON document that the store
 * encrypts: the identity and prekey private keys, the bearer token, pinned contacts, ratchet
 * sessions, recently received message ids (to drop relay redeliveries), and the outbox of messages
 * encrypted but not yet accepted by the server. Not thread-safe: the {@link Vault} guards it.
 */
final class ProfileData {
  static final int RECENT_IDS_PER_PEER = 2000;

  LocalIdentity identity;
  final TreeMap<Long, SignedPreKeyEntry> signedPreKeys = new TreeMap<>();
  final TreeMap<Long, X25519.KeyPair> oneTimePreKeys = new TreeMap<>();
  long nextPreKeyId = 1;
  String token;
  Instant tokenExpiresAt;
  final Map<String, Contact> contacts = new TreeMap<>();
  final Map<String, byte[]> sessions = new TreeMap<>();
  final Map<String, Deque<String>> recentIds = new TreeMap<>();
  final Map<String, Outgoing> outbox = new LinkedHashMap<>();

  /** Texts this user sent, by relay id, oldest first: what end-to-end receipts may move forward. */
  final LinkedHashMap<String, Sent> sent = new LinkedHashMap<>();

  /**
   * Peers sent an "undecryptable" receipt since their last message that decrypted (at most one
   * each).
   */
  final Set<String> undecryptableNoticeSent = new TreeSet<>();

  /** A signed prekey with its private half and when it was made. */
  record SignedPreKeyEntry(
      long keyId, X25519.KeyPair keyPair, byte[] signature, Instant createdAt) {}

  /**
   * A message encrypted (the ratchet moved) but not yet accepted by the server: resent on the next
   * connection.
   */
  record Outgoing(String id, String to, String envelope) {}

  static final int SENT_REMEMBERED = 5000;

  /** A text this user sent to {@code to}, and how far it got. */
  record Sent(String to, SentState state) {}

  /** Remembers a sent text, forgetting the oldest beyond {@link #SENT_REMEMBERED}. */
  void rememberSent(String id, String to) {
    sent.put(id, new Sent(to, SentState.SENDING));
    Iterator<String> oldest = sent.keySet().iterator();
    while (sent.size() > SENT_REMEMBERED) {
      oldest.next();
      oldest.remove();
    }
  }

  boolean hasValidToken(Instant now) {
    return token != null && tokenExpiresAt != null && tokenExpiresAt.isAfter(now);
  }

  boolean hasReceived(String from, String id) {
    Deque<String> ids = recentIds.get(from);
    return ids != null && ids.contains(id);
  }

  /** Remembers a received id; false if it was seen already. */
  boolean rememberReceived(String from, String id) {
    Deque<String> ids = recentIds.computeIfAbsent(from, k -> new ArrayDeque<>());
    if (ids.contains(id)) {
      return false;
    }
    ids.addLast(id);
    while (ids.size() > RECENT_IDS_PER_PEER) {
      ids.removeFirst();
    }
    return true;
  }

  SignedPreKeyEntry currentSignedPreKey() {
    return signedPreKeys.lastEntry().getValue();
  }

  JsonObject toJson() {
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("version", 1)
            .add(
                "identity",
                Json.createObjectBuilder()
                    .add("signing", Bytes.base64(identity.signingKeyPair().privateKey()))
                    .add("dh", Bytes.base64(identity.dhKeyPair().privateKey())))
            .add("nextPreKeyId", nextPreKeyId);
    JsonArrayBuilder spks = Json.createArrayBuilder();
    signedPreKeys
        .values()
        .forEach(
            k ->
                spks.add(
                    Json.createObjectBuilder()
                        .add("keyId", k.keyId())
                        .add("private", Bytes.base64(k.keyPair().privateKey()))
                        .add("signature", Bytes.base64(k.signature()))
                        .add("createdAt", k.createdAt().toString())));
    json.add("signedPreKeys", spks);
    JsonObjectBuilder otpks = Json.createObjectBuilder();
    oneTimePreKeys.forEach(
        (id, pair) -> otpks.add(Long.toString(id), Bytes.base64(pair.privateKey())));
    json.add("oneTimePreKeys", otpks);
    if (token != null) {
      json.add("token", token).add("tokenExpiresAt", tokenExpiresAt.toString());
    }
    JsonObjectBuilder peers = Json.createObjectBuilder();
    contacts.forEach(
        (name, c) -> {
          JsonObjectBuilder contact = identityJson(c.identity()).add("verified", c.verified());
          if (c.pending() != null) {
            contact.add("pending", identityJson(c.pending()));
          }
          peers.add(name, contact);
        });
    json.add("contacts", peers);
    JsonObjectBuilder sessionJson = Json.createObjectBuilder();
    sessions.forEach((name, bytes) -> sessionJson.add(name, Bytes.base64(bytes)));
    json.add("sessions", sessionJson);
    JsonObjectBuilder recent = Json.createObjectBuilder();
    recentIds.forEach(
        (name, ids) -> recent.add(name, Json.createArrayBuilder(ids.stream().toList())));
    json.add("recentIds", recent);
    JsonArrayBuilder pending = Json.createArrayBuilder();
    outbox
        .values()
        .forEach(
            o ->
                pending.add(
                    Json.createObjectBuilder()
                        .add("id", o.id())
                        .add("to", o.to())
                        .add("envelope", o.envelope())));
    json.add("outbox", pending);
    JsonArrayBuilder sentJson = Json.createArrayBuilder();
    sent.forEach(
        (id, m) ->
            sentJson.add(
                Json.createObjectBuilder()
                    .add("id", id)
                    .add("to", m.to())
                    .add("state", m.state().name())));
    json.add("sent", sentJson);
    json.add(
        "undecryptableNoticeSent", Json.createArrayBuilder(List.copyOf(undecryptableNoticeSent)));
    return json.build();
  }

  private static JsonObjectBuilder identityJson(PeerIdentity identity) {
    return Json.createObjectBuilder()
        .add("identityKey", Bytes.base64(identity.identityKey()))
        .add("identityDhKey", Bytes.base64(identity.identityDhKey()))
        .add("identityDhSignature", Bytes.base64(identity.identityDhSignature()));
  }

  private static PeerIdentity identity(String name, JsonObject json) {
    return new PeerIdentity(
        name,
        Bytes.fromBase64(json.getString("identityKey")),
        Bytes.fromBase64(json.getString("identityDhKey")),
        Bytes.fromBase64(json.getString("identityDhSignature")));
  }

  static ProfileData fromJson(JsonObject json) {
    ProfileData data = new ProfileData();
    JsonObject id = json.getJsonObject("identity");
    byte[] signing = Bytes.fromBase64(id.getString("signing"));
    byte[] dh = Bytes.fromBase64(id.getString("dh"));
    data.identity =
        new LocalIdentity(
            new Ed25519.KeyPair(signing, Ed25519.publicKey(signing)),
            new X25519.KeyPair(dh, X25519.publicKey(dh)));
    data.nextPreKeyId = json.getJsonNumber("nextPreKeyId").longValue();
    for (JsonValue v : json.getJsonArray("signedPreKeys")) {
      JsonObject k = v.asJsonObject();
      byte[] priv = Bytes.fromBase64(k.getString("private"));
      long keyId = k.getJsonNumber("keyId").longValue();
      data.signedPreKeys.put(
          keyId,
          new SignedPreKeyEntry(
              keyId,
              new X25519.KeyPair(priv, X25519.publicKey(priv)),
              Bytes.fromBase64(k.getString("signature")),
              Instant.parse(k.getString("createdAt"))));
    }
    json.getJsonObject("oneTimePreKeys")
        .forEach(
            (keyId, v) -> {
              byte[] priv = Bytes.fromBase64(((JsonString) v).getString());
              data.oneTimePreKeys.put(
                  Long.parseLong(keyId), new X25519.KeyPair(priv, X25519.publicKey(priv)));
            });
    if (json.containsKey("token")) {
      data.token = json.getString("token");
      data.tokenExpiresAt = Instant.parse(json.getString("tokenExpiresAt"));
    }
    json.getJsonObject("contacts")
        .forEach(
            (name, v) -> {
              JsonObject c = v.asJsonObject();
              PeerIdentity pin = identity(name, c);
              if (c.getBoolean("blocked", false)) {
                // A profile of version 1 replaced a verified pin on any change and blocked sending:
                // keep it blocked until
                // the user verifies (the replaced pin is gone, so the "pending" identity is the one
                // it holds now).
                data.contacts.put(name, new Contact(pin, true, pin));
              } else {
                data.contacts.put(
                    name,
                    new Contact(
                        pin,
                        c.getBoolean("verified"),
                        c.containsKey("pending")
                            ? identity(name, c.getJsonObject("pending"))
                            : null));
              }
            });
    json.getJsonObject("sessions")
        .forEach(
            (name, v) -> data.sessions.put(name, Bytes.fromBase64(((JsonString) v).getString())));
    json.getJsonObject("recentIds")
        .forEach(
            (name, v) -> {
              Deque<String> ids = new ArrayDeque<>();
              v.asJsonArray().getValuesAs(JsonString.class).forEach(s -> ids.add(s.getString()));
              data.recentIds.put(name, ids);
            });
    for (JsonValue v : json.getJsonArray("outbox")) {
      JsonObject o = v.asJsonObject();
      data.outbox.put(
          o.getString("id"),
          new Outgoing(o.getString("id"), o.getString("to"), o.getString("envelope")));
    }
    if (json.containsKey("sent")) {
      for (JsonValue v : json.getJsonArray("sent")) {
        JsonObject m = v.asJsonObject();
        data.sent.put(
            m.getString("id"),
            new Sent(m.getString("to"), SentState.valueOf(m.getString("state"))));
      }
    }
    if (json.containsKey("undecryptableNoticeSent")) {
      json.getJsonArray("undecryptableNoticeSent")
          .getValuesAs(JsonString.class)
          .forEach(name -> data.undecryptableNoticeSent.add(name.getString()));
    }
    return data;
  }
}
