package com.securecom.client.e2e;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.KeySignatures;
import com.securecom.protocol.crypto.X25519;
import jakarta.json.JsonObject;
import java.security.MessageDigest;

/**
 * A user's published identity: the Ed25519 identity key ({@code identityKey} in the registry), the
 * X25519 identity DH key and the identity key's signature binding the two. Only the identity key is
 * what people compare (the safety number); the signature is what makes the DH key as trustworthy as
 * the identity key. Arrays are not copied.
 */
public record PeerIdentity(
    String username, byte[] identityKey, byte[] identityDhKey, byte[] identityDhSignature) {
  /**
   * The identity in the registry's answer to {@code GET /api/keys/{username}/identity} (or to the
   * bundle request). Not yet verified: see {@link #isSelfConsistent()}.
   *
   * @throws IllegalArgumentException if the JSON does not have that shape
   */
  public static PeerIdentity fromRegistryJson(String username, JsonObject json) {
    return RegistryJson.identity(username, json);
  }

  /**
   * True only if the keys have the right lengths and {@code identityDhSignature} verifies under the
   * identity key ({@link KeySignatures#isIdentityDhKey}: over {@code "SecureCom identity DH key v1"
   * || identityDhKey}).
   */
  public boolean isSelfConsistent() {
    return identityDhKey != null
        && identityDhKey.length == X25519.KEY_BYTES
        && KeySignatures.isIdentityDhKey(identityKey, identityDhKey, identityDhSignature);
  }

  /** True if {@code other} has the same identity key and identity DH key (what a pin compares). */
  public boolean sameKeysAs(PeerIdentity other) {
    return MessageDigest.isEqual(identityKey, other.identityKey())
        && MessageDigest.isEqual(identityDhKey, other.identityDhKey());
  }

  @Override
  public String toString() {
    return "PeerIdentity[username=" + username + ", identityKey=" + Bytes.base64(identityKey) + "]";
  }
}
