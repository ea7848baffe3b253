package com.securecom.client.e2e;

import com.securecom.protocol.DeviceIds;
import com.securecom.protocol.crypto.Bytes;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the key registry's JSON (docs/protocol.md, REST API: standard base64 of raw bytes) into
 * this package's types. Shape only: signatures are checked by {@link PreKeyBundle#verify()} and
 * {@link PeerIdentity#isSelfConsistent()}.
 */
final class RegistryJson {
  private RegistryJson() {}

  /**
   * {@code {identityKey, identityDhKey:{publicKey, signature}, ...}}, as in every {@code GET
   * /api/keys/...}.
   */
  static PeerIdentity identity(String username, JsonObject json) {
    JsonObject dh = object(json, "identityDhKey");
    return new PeerIdentity(
        username, bytes(json, "identityKey"), bytes(dh, "publicKey"), bytes(dh, "signature"));
  }

  static PreKeyBundle bundle(String username, JsonObject json) {
    return deviceBundle(identity(username, json), json, DeviceIds.FIRST);
  }

  /**
   * {@code {identityKey, identityDhKey, devices:[{deviceId, signedPreKey, oneTimePreKey?}]}}: one
   * bundle per device of {@code asked}, in that order, and no other.
   */
  static List<PreKeyBundle> bundles(String username, JsonObject json, List<Integer> asked) {
    PeerIdentity identity = identity(username, json);
    if (!(json.get("devices") instanceof JsonArray devices) || devices.size() != asked.size()) {
      throw new IllegalArgumentException("'devices' must hold the devices asked for");
    }
    List<PreKeyBundle> bundles = new ArrayList<>(asked.size());
    for (int i = 0; i < asked.size(); i++) {
      if (!(devices.get(i) instanceof JsonObject device)
          || !(device.get("deviceId") instanceof JsonNumber id)
          || !id.isIntegral()
          || !id.bigIntegerValue().equals(BigInteger.valueOf(asked.get(i)))) {
        throw new IllegalArgumentException("'devices' must hold the devices asked for, in order");
      }
      bundles.add(deviceBundle(identity, device, asked.get(i)));
    }
    return List.copyOf(bundles);
  }

  private static PreKeyBundle deviceBundle(PeerIdentity identity, JsonObject json, int deviceId) {
    JsonObject spk = object(json, "signedPreKey");
    JsonValue opk = json.get("oneTimePreKey");
    PreKeyBundle.OneTimePreKey oneTime = null;
    if (opk != null && opk.getValueType() != JsonValue.ValueType.NULL) {
      JsonObject o = object(json, "oneTimePreKey");
      oneTime = new PreKeyBundle.OneTimePreKey(keyId(o), bytes(o, "publicKey"));
    }
    return new PreKeyBundle(
        identity.username(),
        identity.identityKey(),
        identity.identityDhKey(),
        identity.identityDhSignature(),
        new PreKeyBundle.SignedPreKey(
            keyId(spk),
            bytes(spk, "publicKey"),
            integer(spk, "createdAt"),
            bytes(spk, "signature")),
        oneTime,
        deviceId);
  }

  private static JsonObject object(JsonObject json, String name) {
    if (!(json.get(name) instanceof JsonObject object)) {
      throw new IllegalArgumentException("'" + name + "' must be an object");
    }
    return object;
  }

  private static byte[] bytes(JsonObject json, String name) {
    if (!(json.get(name) instanceof JsonString text)) {
      throw new IllegalArgumentException("'" + name + "' must be a base64 string");
    }
    return Bytes.fromBase64(text.getString());
  }

  /**
   * A JSON integer from 0 to 2^53 - 1 (key ids and times: what JavaScript clients can hold
   * exactly).
   */
  private static long integer(JsonObject json, String name) {
    if (json.get(name) instanceof JsonNumber number && number.isIntegral()) {
      try {
        long value = number.longValueExact();
        if (value >= 0 && value <= MAX_INTEGER) {
          return value;
        }
      } catch (ArithmeticException tooLarge) {
        // refused below
      }
    }
    throw new IllegalArgumentException("'" + name + "' must be an integer from 0 to 2^53 - 1");
  }

  private static final long MAX_INTEGER = (1L << 53) - 1;

  private static long keyId(JsonObject json) {
    if (!(json.get("keyId") instanceof JsonNumber number) || !number.isIntegral()) {
      throw new IllegalArgumentException("'keyId' must be an integer");
    }
    try {
      long id = number.longValueExact();
      if (id >= 0) {
        return id;
      }
    } catch (ArithmeticException tooLarge) {
      // refused below
    }
    throw new IllegalArgumentException("'keyId' must be an integer from 0 to 2^63 - 1");
  }
}
