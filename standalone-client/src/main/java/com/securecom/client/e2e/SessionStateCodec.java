package com.securecom.client.e2e;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.X25519;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * {@link SessionState} as UTF-8 JSON, version 1: byte strings are standard base64, counters JSON
 * integers.
 */
final class SessionStateCodec {
  static final int VERSION = 1;
  private static final JsonProvider JSON = JsonBytes.JSON;

  private SessionStateCodec() {}

  static byte[] encode(SessionState s) {
    return JsonBytes.write(toJson(s));
  }

  /** The JSON object {@link #encode} writes (a session record embeds it as it is). */
  static JsonObject toJson(SessionState s) {
    JsonArrayBuilder skipped = JSON.createArrayBuilder();
    s.skipped.forEach(
        (id, key) ->
            skipped.add(
                JSON.createObjectBuilder()
                    .add("ratchetKey", id.ratchetKey())
                    .add("counter", id.counter())
                    .add("messageKey", Bytes.base64(key))));
    JsonArrayBuilder evicted = JSON.createArrayBuilder();
    s.evicted.forEach(
        id ->
            evicted.add(
                JSON.createObjectBuilder()
                    .add("ratchetKey", id.ratchetKey())
                    .add("counter", id.counter())));
    JsonArrayBuilder chains = JSON.createArrayBuilder();
    s.previousChains.forEach(
        c ->
            chains.add(
                JSON.createObjectBuilder()
                    .add("ratchetKey", Bytes.base64(c.ratchetKey()))
                    .add("counter", c.counter())));
    JsonObjectBuilder json =
        JSON.createObjectBuilder()
            .add("version", VERSION)
            .add("role", s.role == SessionState.Role.INITIATOR ? "initiator" : "responder")
            .add("localName", s.localName)
            .add("localIdentityKey", Bytes.base64(s.localIdentityKey))
            .add("localIdentityDhKey", Bytes.base64(s.localIdentityDhKey))
            .add("peerName", s.peerName)
            .add("peerIdentityKey", Bytes.base64(s.peerIdentityKey))
            .add("peerIdentityDhKey", Bytes.base64(s.peerIdentityDhKey))
            .add("preKeyHeader", Bytes.base64(s.preKeyHeader.toBytes()))
            .add("awaitingReply", s.awaitingReply)
            .add("rootKey", Bytes.base64(s.rootKey))
            .add("sendingRatchetPrivateKey", Bytes.base64(s.sendingRatchet.privateKey()))
            .add("sendingRatchetPublicKey", Bytes.base64(s.sendingRatchet.publicKey()));
    optional(json, "receivingRatchetKey", s.receivingRatchetKey);
    optional(json, "sendingChainKey", s.sendingChainKey);
    optional(json, "receivingChainKey", s.receivingChainKey);
    json.add("sendCounter", s.sendCounter)
        .add("receiveCounter", s.receiveCounter)
        .add("previousSendCounter", s.previousSendCounter)
        .add("skipped", skipped);
    if (!s.evicted.isEmpty()) {
      json.add("evicted", evicted);
    }
    json.add("previousChains", chains);
    return json.build();
  }

  static SessionState decode(byte[] bytes) {
    JsonObject json;
    try (JsonReader reader = JsonBytes.reader(bytes)) {
      json = reader.readObject();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed session state"); // Parsson's JsonException
    }
    return fromJson(json);
  }

  /**
   * Reads what {@link #toJson} made.
   *
   * @throws IllegalArgumentException if it is not a well-formed session state
   */
  static SessionState fromJson(JsonObject json) {
    try {
      if (json.getInt("version") != VERSION) {
        throw new IllegalArgumentException("unsupported session state version");
      }
      SessionState.Role role =
          switch (json.getString("role")) {
            case "initiator" -> SessionState.Role.INITIATOR;
            case "responder" -> SessionState.Role.RESPONDER;
            default -> throw new IllegalArgumentException("unknown role");
          };
      byte[] preKeyHeader = key(json, "preKeyHeader", PreKeyHeader.BYTES);
      SessionState s =
          new SessionState(
              role,
              json.getString("localName"),
              key(json, "localIdentityKey", 32),
              key(json, "localIdentityDhKey", 32),
              json.getString("peerName"),
              key(json, "peerIdentityKey", 32),
              key(json, "peerIdentityDhKey", 32),
              PreKeyHeader.read(ByteBuffer.wrap(preKeyHeader)));
      s.awaitingReply = json.getBoolean("awaitingReply");
      s.rootKey = key(json, "rootKey", 32);
      byte[] ratchetPrivate = key(json, "sendingRatchetPrivateKey", 32);
      byte[] ratchetPublic = key(json, "sendingRatchetPublicKey", 32);
      if (!Arrays.equals(X25519.publicKey(ratchetPrivate), ratchetPublic)) {
        throw new IllegalArgumentException("ratchet public key does not match its private key");
      }
      s.sendingRatchet = new X25519.KeyPair(ratchetPrivate, ratchetPublic);
      s.receivingRatchetKey =
          json.containsKey("receivingRatchetKey") ? key(json, "receivingRatchetKey", 32) : null;
      s.sendingChainKey =
          json.containsKey("sendingChainKey") ? key(json, "sendingChainKey", 32) : null;
      s.receivingChainKey =
          json.containsKey("receivingChainKey") ? key(json, "receivingChainKey", 32) : null;
      s.sendCounter = counter(json, "sendCounter");
      s.receiveCounter = counter(json, "receiveCounter");
      s.previousSendCounter = counter(json, "previousSendCounter");
      for (JsonObject k : json.getJsonArray("skipped").getValuesAs(JsonObject.class)) {
        s.addSkipped(key(k, "ratchetKey", 32), counter(k, "counter"), key(k, "messageKey", 32));
      }
      if (json.containsKey("evicted")) {
        for (JsonObject k : json.getJsonArray("evicted").getValuesAs(JsonObject.class)) {
          s.addEvicted(new SessionState.SkippedId(key(k, "ratchetKey", 32), counter(k, "counter")));
        }
      }
      JsonArray chains = json.getJsonArray("previousChains");
      for (int i = chains.size() - 1; i >= 0; i--) {
        JsonObject c = chains.getJsonObject(i);
        s.addPreviousChain(
            new SessionState.ChainEnd(key(c, "ratchetKey", 32), counter(c, "counter")));
      }
      return s;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed session state", e);
    } catch (RuntimeException e) {
      // Parsson's JsonException, ClassCastException and NullPointerException for missing or
      // mistyped members.
      throw new IllegalArgumentException("malformed session state");
    }
  }

  private static void optional(JsonObjectBuilder json, String name, byte[] value) {
    if (value != null) {
      json.add(name, Bytes.base64(value));
    }
  }

  private static byte[] key(JsonObject json, String name, int length) {
    byte[] value = Bytes.fromBase64(((JsonString) json.get(name)).getString());
    if (value.length != length) {
      throw new IllegalArgumentException(name + " has the wrong length");
    }
    return value;
  }

  private static long counter(JsonObject json, String name) {
    JsonValue value = json.get(name);
    long n = ((JsonNumber) value).longValueExact();
    if (n < 0 || n > MessageHeader.MAX_COUNTER + 1) {
      throw new IllegalArgumentException(name + " out of range");
    }
    return n;
  }
}
