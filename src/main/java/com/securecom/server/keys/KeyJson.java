package com.securecom.server.keys;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.X25519;
import com.securecom.server.web.Base64Field;
import com.securecom.server.web.InvalidRequestException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The JSON shapes of keys in the REST API: standard base64 of raw bytes. Request bodies are classes with public
 * fields, not records: Payara's OpenAPI scanner fails on Bean Validation annotations that records copy onto their
 * constructor parameters.
 */
public final class KeyJson {
  private KeyJson() {}

  /** {@code {keyId, publicKey, signature}}. */
  public static final class SignedPreKeyBody {
    @NotNull @PositiveOrZero public Long keyId;
    @NotNull public String publicKey;
    @NotNull public String signature;

    public SignedPreKeyBody() {}

    public SignedPreKeyBody(Long keyId, String publicKey, String signature) {
      this.keyId = keyId;
      this.publicKey = publicKey;
      this.signature = signature;
    }

    /** Decodes the key, naming {@code field} (e.g. "signedPreKey") in errors. */
    public SignedPreKey decode(String field) {
      return new SignedPreKey(keyId,
          Base64Field.decode(field + ".publicKey", publicKey, X25519.KEY_BYTES),
          Base64Field.decode(field + ".signature", signature, Ed25519.SIGNATURE_BYTES));
    }

    static SignedPreKeyBody of(SignedPreKey key) {
      return new SignedPreKeyBody(key.keyId(), Bytes.base64(key.publicKey()), Bytes.base64(key.signature()));
    }
  }

  /** {@code {publicKey, signature}}: the X25519 identity DH key and the identity key's signature over it. */
  public static final class IdentityDhKeyBody {
    @NotNull public String publicKey;
    @NotNull public String signature;

    public IdentityDhKeyBody() {}

    public IdentityDhKeyBody(String publicKey, String signature) {
      this.publicKey = publicKey;
      this.signature = signature;
    }

    /** Decodes the identity with its Ed25519 signing key, naming {@code field} in errors. */
    public IdentityKeys decode(String field, byte[] signingKey) {
      return new IdentityKeys(signingKey,
          Base64Field.decode(field + ".publicKey", publicKey, X25519.KEY_BYTES),
          Base64Field.decode(field + ".signature", signature, Ed25519.SIGNATURE_BYTES));
    }
  }

  /** {@code {keyId, publicKey}}. */
  public static final class OneTimePreKeyBody {
    @NotNull @PositiveOrZero public Long keyId;
    @NotNull public String publicKey;

    public OneTimePreKeyBody() {}

    public OneTimePreKeyBody(Long keyId, String publicKey) {
      this.keyId = keyId;
      this.publicKey = publicKey;
    }

    public OneTimePreKey decode(String field) {
      return new OneTimePreKey(keyId, Base64Field.decode(field + ".publicKey", publicKey, X25519.KEY_BYTES));
    }

    static OneTimePreKeyBody of(OneTimePreKey key) {
      return new OneTimePreKeyBody(key.keyId(), Bytes.base64(key.publicKey()));
    }

    /** Decodes a list, naming each element's index in errors and refusing repeated key ids. */
    public static List<OneTimePreKey> decodeAll(String field, List<OneTimePreKeyBody> bodies) {
      List<OneTimePreKey> keys = new ArrayList<>();
      Set<Long> ids = new HashSet<>();
      for (int i = 0; i < bodies.size(); i++) {
        OneTimePreKey key = bodies.get(i).decode(field + "[" + i + "]");
        if (!ids.add(key.keyId())) {
          throw new InvalidRequestException(
              field + "[" + i + "].keyId", field + "[" + i + "].keyId repeats an earlier keyId");
        }
        keys.add(key);
      }
      return keys;
    }
  }

  /** {@code {preKeys: [...]}}: a replenishment of the one-time prekey pool. */
  public static final class OneTimePreKeysUpload {
    @NotNull @Size(min = 1, max = 1000) public List<@NotNull @Valid OneTimePreKeyBody> preKeys;
  }

  /** {@code {count}}. */
  public record PreKeyCount(long count) {}

  /** {@code {identityKey, identityDhKey:{publicKey, signature}}}. */
  public record IdentityBody(String identityKey, IdentityDhKeyBody identityDhKey) {
    static IdentityBody of(IdentityKeys identity) {
      return new IdentityBody(Bytes.base64(identity.signingKey()),
          new IdentityDhKeyBody(Bytes.base64(identity.dhKey()), Bytes.base64(identity.dhSignature())));
    }
  }

  /** {@code {identityKey, identityDhKey:{publicKey, signature}, signedPreKey, oneTimePreKey?}}. */
  public record BundleBody(String identityKey, IdentityDhKeyBody identityDhKey, SignedPreKeyBody signedPreKey,
      OneTimePreKeyBody oneTimePreKey) {
    static BundleBody of(PreKeyBundle bundle) {
      IdentityBody identity = IdentityBody.of(bundle.identity());
      return new BundleBody(identity.identityKey(), identity.identityDhKey(),
          SignedPreKeyBody.of(bundle.signedPreKey()),
          bundle.oneTimePreKey().map(OneTimePreKeyBody::of).orElse(null));
    }
  }
}
