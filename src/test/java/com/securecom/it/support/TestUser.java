package com.securecom.it.support;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.KeySignatures;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.devices.DeviceEntry;
import com.securecom.protocol.devices.DeviceList;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A user's credentials and freshly generated keys, as a client would hold them, and its
 * registration body.
 */
public final class TestUser {
  private static final SecureRandom RANDOM = new SecureRandom();

  public final String username;
  public final String password;
  public final Ed25519.KeyPair identity;
  public final X25519.KeyPair identityDh;
  public final X25519.KeyPair signedPreKey;
  public final byte[] signedPreKeySignature;
  public final long signedPreKeyCreatedAt;

  private TestUser(String username, String password) {
    this.username = username;
    this.password = password;
    this.identity = Ed25519.generate(RANDOM);
    this.identityDh = X25519.generate(RANDOM);
    this.signedPreKey = X25519.generate(RANDOM);
    this.signedPreKeyCreatedAt = System.currentTimeMillis() / 1000;
    this.signedPreKeySignature = signedPreKeySignature(1);
  }

  /** A user with a unique name starting with {@code prefix}, so tests never collide across runs. */
  public static TestUser named(String prefix) {
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    return new TestUser((prefix + "-" + suffix).toLowerCase(), "correct horse battery staple");
  }

  /**
   * The identity key's signature over this user's signed prekey under {@code keyId} (protocol v2).
   */
  public byte[] signedPreKeySignature(long keyId) {
    return Ed25519.sign(
        identity.privateKey(),
        KeySignatures.signedPreKeyMessage(keyId, signedPreKeyCreatedAt, signedPreKey.publicKey()));
  }

  /**
   * {@code {deviceList:{body, signature}}}: this user's device list with {@code serial}, {@code
   * lastDeviceId} and the devices {@code ids} (each linked at a fixed time), issued now and signed
   * by {@code signer} (this user's identity key for an honest upload).
   */
  public JsonObject deviceListUpload(
      Ed25519.KeyPair signer, long serial, int lastDeviceId, int... ids) {
    List<DeviceEntry> entries = new ArrayList<>();
    for (int id : ids) {
      entries.add(new DeviceEntry(id, 1_700_000_000L + id));
    }
    byte[] body =
        DeviceList.of(
                username,
                identity.publicKey(),
                serial,
                System.currentTimeMillis() / 1000,
                lastDeviceId,
                entries)
            .encode();
    return Json.createObjectBuilder()
        .add(
            "deviceList",
            Json.createObjectBuilder()
                .add("body", Bytes.base64(body))
                .add("signature", Bytes.base64(Ed25519.sign(signer.privateKey(), body))))
        .build();
  }

  /**
   * The body of {@code POST /api/devices} by which device {@code newDeviceId} of this user links
   * itself with {@code ticket}: this user's list with {@code serial} and devices {@code ids} (the
   * new one last, as {@code lastDeviceId}), a fresh signed prekey with the version 3 signature for
   * the new device, three one-time prekeys, and {@code name}.
   */
  public JsonObject linkRequest(String ticket, long serial, String name, int... ids) {
    int newDeviceId = ids[ids.length - 1];
    X25519.KeyPair preKey = X25519.generate(RANDOM);
    long createdAt = System.currentTimeMillis() / 1000;
    byte[] signature =
        Ed25519.sign(
            identity.privateKey(),
            KeySignatures.signedPreKeyMessageV3(newDeviceId, 1, createdAt, preKey.publicKey()));
    JsonObjectBuilder body =
        Json.createObjectBuilder()
            .add("username", username)
            .add("ticket", ticket)
            .add(
                "deviceList",
                deviceListUpload(identity, serial, newDeviceId, ids).getJsonObject("deviceList"))
            .add(
                "signedPreKey",
                Json.createObjectBuilder()
                    .add("keyId", 1)
                    .add("publicKey", Bytes.base64(preKey.publicKey()))
                    .add("createdAt", createdAt)
                    .add("signature", Bytes.base64(signature)))
            .add("oneTimePreKeys", oneTimePreKeys(1, 3));
    if (name != null) {
      body.add("name", name);
    }
    return body.build();
  }

  public JsonObject signedPreKeyJson(long keyId) {
    return Json.createObjectBuilder()
        .add("keyId", keyId)
        .add("publicKey", Bytes.base64(signedPreKey.publicKey()))
        .add("createdAt", signedPreKeyCreatedAt)
        .add("signature", Bytes.base64(signedPreKeySignature(keyId)))
        .build();
  }

  public JsonObject identityDhKeyJson() {
    return Json.createObjectBuilder()
        .add("publicKey", Bytes.base64(identityDh.publicKey()))
        .add(
            "signature",
            Bytes.base64(
                Ed25519.sign(
                    identity.privateKey(),
                    KeySignatures.identityDhKeyMessage(identityDh.publicKey()))))
        .build();
  }

  public static JsonArrayBuilder oneTimePreKeys(long firstId, int count) {
    JsonArrayBuilder keys = Json.createArrayBuilder();
    for (int i = 0; i < count; i++) {
      keys.add(
          Json.createObjectBuilder()
              .add("keyId", firstId + i)
              .add("publicKey", Bytes.base64(X25519.generate(RANDOM).publicKey())));
    }
    return keys;
  }

  /** The registration body with {@code oneTimePreKeys} one-time prekeys numbered from 1. */
  public JsonObjectBuilder registration(int oneTimePreKeys) {
    return Json.createObjectBuilder()
        .add("username", username)
        .add("password", password)
        .add("identityKey", Bytes.base64(identity.publicKey()))
        .add("identityDhKey", identityDhKeyJson())
        .add("signedPreKey", signedPreKeyJson(1))
        .add("oneTimePreKeys", oneTimePreKeys(1, oneTimePreKeys));
  }

  public JsonObject login() {
    return Json.createObjectBuilder().add("username", username).add("password", password).build();
  }
}
