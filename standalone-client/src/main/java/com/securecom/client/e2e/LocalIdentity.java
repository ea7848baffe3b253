package com.securecom.client.e2e;

import com.securecom.protocol.DeviceIds;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.KeySignatures;
import com.securecom.protocol.crypto.X25519;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * This user's long-term identity: the Ed25519 signing key pair IKsig and the X25519 DH key pair
 * IKdh. Secret: the store persists it encrypted and nothing logs it ({@link #toString()} shows
 * public keys only).
 */
public final class LocalIdentity {
  private final Ed25519.KeyPair signing;
  private final X25519.KeyPair dh;

  /**
   * @throws IllegalArgumentException if a public key is not the one of its private key
   */
  public LocalIdentity(Ed25519.KeyPair signing, X25519.KeyPair dh) {
    if (!Arrays.equals(Ed25519.publicKey(signing.privateKey()), signing.publicKey())
        || !Arrays.equals(X25519.publicKey(dh.privateKey()), dh.publicKey())) {
      throw new IllegalArgumentException("public key does not match its private key");
    }
    this.signing = signing;
    this.dh = dh;
  }

  public static LocalIdentity generate(SecureRandom random) {
    return new LocalIdentity(Ed25519.generate(random), X25519.generate(random));
  }

  public Ed25519.KeyPair signingKeyPair() {
    return signing;
  }

  public X25519.KeyPair dhKeyPair() {
    return dh;
  }

  /** IKsig public: {@code identityKey} in the registry. */
  public byte[] identityKey() {
    return signing.publicKey().clone();
  }

  /** IKdh public: {@code identityDhKey} in the registry. */
  public byte[] identityDhKey() {
    return dh.publicKey().clone();
  }

  /**
   * {@code Ed25519(IKsig, "SecureCom identity DH key v1" || IKdh_pub)}; deterministic, so always
   * the same bytes.
   */
  public byte[] identityDhSignature() {
    return Ed25519.sign(signing.privateKey(), KeySignatures.identityDhKeyMessage(dh.publicKey()));
  }

  /**
   * A signed prekey made at {@code createdAt} (seconds since the epoch): {@code Ed25519(IKsig,
   * "SecureCom signed prekey v2" || u64(keyId) || u64(createdAt) || publicKey)}.
   */
  public PreKeyBundle.SignedPreKey signPreKey(long keyId, long createdAt, byte[] publicKey) {
    return signPreKey(DeviceIds.FIRST, keyId, createdAt, publicKey);
  }

  /**
   * A signed prekey of device {@code deviceId}: version 3 (naming the device) for every device but
   * 1, which keeps version 2 while clients that verify only version 2 exist (docs/protocol.md,
   * "Signed prekeys of a device").
   */
  public PreKeyBundle.SignedPreKey signPreKey(
      int deviceId, long keyId, long createdAt, byte[] publicKey) {
    if (publicKey.length != X25519.KEY_BYTES) {
      throw new IllegalArgumentException("an X25519 public key has 32 bytes");
    }
    byte[] message =
        deviceId == DeviceIds.FIRST
            ? KeySignatures.signedPreKeyMessage(keyId, createdAt, publicKey)
            : KeySignatures.signedPreKeyMessageV3(deviceId, keyId, createdAt, publicKey);
    return new PreKeyBundle.SignedPreKey(
        keyId, publicKey.clone(), createdAt, Ed25519.sign(signing.privateKey(), message));
  }

  /** What others see of this identity under {@code username}. */
  public PeerIdentity publicIdentity(String username) {
    return new PeerIdentity(username, identityKey(), identityDhKey(), identityDhSignature());
  }

  @Override
  public String toString() {
    return "LocalIdentity[identityKey="
        + Bytes.base64(signing.publicKey())
        + ", identityDhKey="
        + Bytes.base64(dh.publicKey())
        + ", private keys=[REDACTED]]";
  }
}
