package com.securecom.server.keys;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.X25519;
import com.securecom.server.web.InvalidRequestException;
import com.securecom.server.web.JsonFields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The JSON shapes of keys in the REST API: canonical standard base64 of raw bytes, key ids as JSON
 * integers in 0..2^53-1. Requests are read strictly through {@link JsonFields} (no coercion); the
 * records are the answers' shapes (and document the requests' shapes in the OpenAPI document).
 */
public final class KeyJson {
  private KeyJson() {}

  /** {@code {keyId, publicKey, createdAt, signature}}. */
  public record SignedPreKeyBody(long keyId, String publicKey, long createdAt, String signature) {
    static SignedPreKeyBody of(SignedPreKey key) {
      return new SignedPreKeyBody(
          key.keyId(),
          Bytes.base64(key.publicKey()),
          key.createdAt(),
          Bytes.base64(key.signature()));
    }
  }

  /**
   * {@code {publicKey, signature}}: the X25519 identity DH key and the identity key's signature
   * over it.
   */
  public record IdentityDhKeyBody(String publicKey, String signature) {}

  /** {@code {keyId, publicKey}}. */
  public record OneTimePreKeyBody(long keyId, String publicKey) {
    static OneTimePreKeyBody of(OneTimePreKey key) {
      return new OneTimePreKeyBody(key.keyId(), Bytes.base64(key.publicKey()));
    }
  }

  /**
   * {@code {preKeys: [...]}}: a replenishment of the one-time prekey pool (its shape, for the
   * OpenAPI document).
   */
  public record OneTimePreKeysUpload(List<OneTimePreKeyBody> preKeys) {}

  /** {@code {count}}. */
  public record PreKeyCount(long count) {}

  /** {@code {username, identityKey, identityDhKey:{publicKey, signature}}}. */
  public record IdentityBody(String username, String identityKey, IdentityDhKeyBody identityDhKey) {
    static IdentityBody of(String username, IdentityKeys identity) {
      return new IdentityBody(
          username,
          Bytes.base64(identity.signingKey()),
          new IdentityDhKeyBody(
              Bytes.base64(identity.dhKey()), Bytes.base64(identity.dhSignature())));
    }
  }

  /** One device's keys: {@code {deviceId, signedPreKey, oneTimePreKey?}}. */
  public record DeviceKeysBody(
      int deviceId, SignedPreKeyBody signedPreKey, OneTimePreKeyBody oneTimePreKey) {
    static DeviceKeysBody of(KeyRegistry.DeviceKeys keys) {
      return new DeviceKeysBody(
          keys.deviceId(),
          SignedPreKeyBody.of(keys.signedPreKey()),
          keys.oneTimePreKey().map(OneTimePreKeyBody::of).orElse(null));
    }
  }

  /**
   * {@code {username, identityKey, identityDhKey:{publicKey, signature}, devices:[{deviceId,
   * signedPreKey, oneTimePreKey?}]}}: the bundles of several devices of one account.
   */
  public record DevicesBundleBody(
      String username,
      String identityKey,
      IdentityDhKeyBody identityDhKey,
      List<DeviceKeysBody> devices) {
    static DevicesBundleBody of(String username, KeyRegistry.DevicesBundle bundle) {
      IdentityBody identity = IdentityBody.of(username, bundle.identity());
      return new DevicesBundleBody(
          username,
          identity.identityKey(),
          identity.identityDhKey(),
          bundle.devices().stream().map(DeviceKeysBody::of).toList());
    }
  }

  /**
   * {@code {username, identityKey, identityDhKey:{publicKey, signature}, signedPreKey,
   * oneTimePreKey?}}.
   */
  public record BundleBody(
      String username,
      String identityKey,
      IdentityDhKeyBody identityDhKey,
      SignedPreKeyBody signedPreKey,
      OneTimePreKeyBody oneTimePreKey) {
    static BundleBody of(String username, PreKeyBundle bundle) {
      IdentityBody identity = IdentityBody.of(username, bundle.identity());
      return new BundleBody(
          username,
          identity.identityKey(),
          identity.identityDhKey(),
          SignedPreKeyBody.of(bundle.signedPreKey()),
          bundle.oneTimePreKey().map(OneTimePreKeyBody::of).orElse(null));
    }
  }

  /**
   * {@code {keyId, publicKey, createdAt, signature}} of a signed prekey; {@code createdAt} (seconds
   * since the epoch) has the key id's integer rule and may lie at most {@link
   * #MAX_CLOCK_SKEW_SECONDS} after {@code nowSeconds}.
   */
  public static SignedPreKey signedPreKey(JsonFields body, long nowSeconds) {
    long keyId = body.keyId("keyId");
    byte[] publicKey = x25519(body, "publicKey");
    long createdAt = body.keyId("createdAt");
    if (createdAt > nowSeconds + MAX_CLOCK_SKEW_SECONDS) {
      throw new InvalidRequestException(
          body.name("createdAt"),
          body.name("createdAt")
              + " lies more than a day in the future (seconds since 1970-01-01T00:00:00Z)");
    }
    return new SignedPreKey(
        keyId, publicKey, createdAt, body.base64("signature", Ed25519.SIGNATURE_BYTES));
  }

  /** How far after the server's clock a signed prekey's {@code createdAt} may lie: one day. */
  public static final long MAX_CLOCK_SKEW_SECONDS = 86_400;

  /** {@code identityKey} and {@code identityDhKey:{publicKey, signature}} of a registration. */
  public static IdentityKeys identity(JsonFields body) {
    byte[] signingKey = body.base64("identityKey", Ed25519.KEY_BYTES);
    JsonFields dh = body.object("identityDhKey");
    return new IdentityKeys(
        signingKey, x25519(dh, "publicKey"), dh.base64("signature", Ed25519.SIGNATURE_BYTES));
  }

  /**
   * The array {@code field} of {@code {keyId, publicKey}} (absent means none when {@code
   * optional}), at most {@code max}; a key id repeated within the array is refused naming the
   * repeat.
   */
  public static List<OneTimePreKey> oneTimePreKeys(
      JsonFields body, String field, boolean optional, int min, int max) {
    List<OneTimePreKey> keys = new ArrayList<>();
    Set<Long> ids = new HashSet<>();
    for (JsonFields key : body.objects(field, optional, min, max)) {
      long keyId = key.keyId("keyId");
      if (!ids.add(keyId)) {
        throw new InvalidRequestException(
            key.name("keyId"), key.name("keyId") + " repeats an earlier keyId");
      }
      keys.add(new OneTimePreKey(keyId, x25519(key, "publicKey")));
    }
    return keys;
  }

  private static byte[] x25519(JsonFields fields, String field) {
    return PublicKeyCheck.usableX25519(fields.name(field), fields.base64(field, X25519.KEY_BYTES));
  }
}
