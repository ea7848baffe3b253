package com.securecom.client.e2e;

import com.securecom.protocol.crypto.KeySignatures;
import com.securecom.protocol.crypto.X25519;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * What the registry answers for {@code GET /api/keys/{username}}: everything an initiator needs to
 * start a session with {@code username} without them being online. Raw key bytes (the registry's
 * base64 decoded); arrays are not copied. Nothing here is trusted until {@link #verify()} passes,
 * which {@link X3dh#initiate} always calls.
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

  /**
   * An X25519 prekey signed by the identity key with its key id and creation time ({@code
   * createdAt}, seconds since the epoch): {@code signature = Ed25519(IKsig, "SecureCom signed
   * prekey v2" || u64(keyId) || u64(createdAt) || publicKey)}.
   */
  public record SignedPreKey(long keyId, byte[] publicKey, long createdAt, byte[] signature) {}

  /**
   * The oldest signed prekey an initiator accepts: its owner rotates weekly, and any client online
   * since has.
   */
  public static final Duration MAX_SIGNED_PREKEY_AGE = Duration.ofDays(60);

  /** How far in the future (clock skew) a signed prekey's creation time may lie. */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofDays(1);

  /** An unsigned, single-use X25519 prekey. */
  public record OneTimePreKey(long keyId, byte[] publicKey) {}

  /**
   * The bundle in the registry's answer to {@code GET /api/keys/{username}} (base64 fields). Not
   * yet verified.
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
    boolean ok =
        identity().isSelfConsistent()
            && signedPreKey != null
            && signedPreKey.keyId() >= 0
            && signedPreKey.publicKey() != null
            && signedPreKey.publicKey().length == X25519.KEY_BYTES
            && signedPreKey.createdAt() >= 0
            && KeySignatures.isSignedPreKey(
                identityKey,
                signedPreKey.keyId(),
                signedPreKey.createdAt(),
                signedPreKey.publicKey(),
                signedPreKey.signature())
            && (oneTimePreKey == null
                || (oneTimePreKey.keyId() >= 0
                    && oneTimePreKey.publicKey() != null
                    && oneTimePreKey.publicKey().length == X25519.KEY_BYTES));
    if (!ok) {
      throw new UntrustedBundleException();
    }
  }

  /**
   * True if the signed prekey was made within {@link #MAX_SIGNED_PREKEY_AGE} before {@code now} and
   * no more than {@link #MAX_CLOCK_SKEW} after it: an older one is a prekey the registry may be
   * replaying after its owner rotated it away (docs/protocol.md, "Keys").
   */
  public boolean isFresh(Instant now) {
    Instant created = Instant.ofEpochSecond(signedPreKey.createdAt());
    return !created.isBefore(now.minus(MAX_SIGNED_PREKEY_AGE))
        && !created.isAfter(now.plus(MAX_CLOCK_SKEW));
  }
}
