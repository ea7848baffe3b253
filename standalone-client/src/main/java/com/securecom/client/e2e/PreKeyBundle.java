package com.securecom.client.e2e;

import com.securecom.protocol.crypto.KeySignatures;
import com.securecom.protocol.crypto.X25519;
import jakarta.json.JsonObject;

/**
 * What the registry answers for {@code GET /api/keys/{username}}: everything an initiator needs to start a session
 * with {@code username} without them being online. Raw key bytes (the registry's base64 decoded); arrays are not
 * copied. Nothing here is trusted until {@link #verify()} passes, which {@link X3dh#initiate} always calls.
 *
 * @param oneTimePreKey absent ({@code null}) when the user's pool is empty
 */
public record PreKeyBundle(
    String username,
    byte[] identityKey,
    byte[] identityDhKey,
    byte[] identityDhSignature,
    SignedPreKey signedPreKey,
    OneTimePreKey oneTimePreKey) {

  /** An X25519 prekey signed by the identity key: {@code signature = Ed25519(IKsig, publicKey)}. */
  public record SignedPreKey(long keyId, byte[] publicKey, byte[] signature) {}

  /** An unsigned, single-use X25519 prekey. */
  public record OneTimePreKey(long keyId, byte[] publicKey) {}

  /**
   * The bundle in the registry's answer to {@code GET /api/keys/{username}} (base64 fields). Not yet verified.
   *
   * @throws IllegalArgumentException if the JSON does not have that shape
   */
  public static PreKeyBundle fromRegistryJson(String username, JsonObject json) {
    return RegistryJson.bundle(username, json);
  }

  public PeerIdentity identity() {
    return new PeerIdentity(username, identityKey, identityDhKey, identityDhSignature);
  }

  /**
   * Checks both signatures with the bundle's identity key and the length of every key.
   *
   * @throws UntrustedBundleException if anything does not verify
   */
  public void verify() throws UntrustedBundleException {
    boolean ok = identity().isSelfConsistent()
        && signedPreKey != null && signedPreKey.keyId() >= 0
        && signedPreKey.publicKey() != null && signedPreKey.publicKey().length == X25519.KEY_BYTES
        && KeySignatures.isSignedPreKey(identityKey, signedPreKey.publicKey(), signedPreKey.signature())
        && (oneTimePreKey == null || (oneTimePreKey.keyId() >= 0
            && oneTimePreKey.publicKey() != null && oneTimePreKey.publicKey().length == X25519.KEY_BYTES));
    if (!ok) {
      throw new UntrustedBundleException();
    }
  }
}
