package com.securecom.client.e2e;

import com.securecom.protocol.DeviceIds;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.devices.SignedPreKeys;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

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
    OneTimePreKey oneTimePreKey,
    int deviceId) {

  /** The bundle of device 1 (a legacy account's only device). */
  public PreKeyBundle(
      String username,
      byte[] identityKey,
      byte[] identityDhKey,
      byte[] identityDhSignature,
      SignedPreKey signedPreKey,
      OneTimePreKey oneTimePreKey) {
    this(
        username,
        identityKey,
        identityDhKey,
        identityDhSignature,
        signedPreKey,
        oneTimePreKey,
        DeviceIds.FIRST);
  }

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

  /**
   * The bundles in the registry's answer to {@code GET /api/keys/{username}?devices=...}, checked
   * to be exactly the devices {@code asked}, in that order. Not yet verified.
   *
   * @throws IllegalArgumentException if the JSON does not have that shape or names other devices
   */
  public static List<PreKeyBundle> fromRegistryJson(
      String username, JsonObject json, List<Integer> asked) {
    return RegistryJson.bundles(username, json, asked);
  }

  public PeerIdentity identity() {
    return new PeerIdentity(username, identityKey, identityDhKey, identityDhSignature);
  }

  /**
   * Checks both signatures with the bundle's identity key and the length of every key. The signed
   * prekey's signature must name {@link #deviceId} (version 3), or be a version 2 one of device 1:
   * so the registry cannot present one device's prekey as another's.
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
            && SignedPreKeys.verifies(
                identityKey,
                deviceId,
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
