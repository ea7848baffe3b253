package com.securecom.server.testing;

import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.KeySignatures;
import com.securecom.protocol.crypto.X25519;
import com.securecom.server.keys.IdentityKeys;
import com.securecom.server.keys.OneTimePreKey;
import com.securecom.server.keys.SignedPreKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/** Fresh keys as a client would make them: an identity, prekeys it signed, and one-time prekeys. */
public final class TestKeys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestKeys() {}

  public static Ed25519.KeyPair identity() {
    return Ed25519.generate(RANDOM);
  }

  /** The identity as published: its Ed25519 key and a fresh X25519 identity DH key it signed. */
  public static IdentityKeys published(Ed25519.KeyPair identity) {
    byte[] dhKey = X25519.generate(RANDOM).publicKey();
    return new IdentityKeys(
        identity.publicKey(),
        dhKey,
        Ed25519.sign(identity.privateKey(), KeySignatures.identityDhKeyMessage(dhKey)));
  }

  /** A new X25519 prekey signed by {@code identity}, made now. */
  public static SignedPreKey signedPreKey(Ed25519.KeyPair identity, long keyId) {
    byte[] publicKey = X25519.generate(RANDOM).publicKey();
    long createdAt = System.currentTimeMillis() / 1000;
    return new SignedPreKey(
        keyId,
        publicKey,
        createdAt,
        Ed25519.sign(
            identity.privateKey(), KeySignatures.signedPreKeyMessage(keyId, createdAt, publicKey)));
  }

  /** A new X25519 prekey signed by {@code identity} for device {@code deviceId} (version 3). */
  public static SignedPreKey signedPreKeyV3(Ed25519.KeyPair identity, int deviceId, long keyId) {
    byte[] publicKey = X25519.generate(RANDOM).publicKey();
    long createdAt = System.currentTimeMillis() / 1000;
    return new SignedPreKey(
        keyId,
        publicKey,
        createdAt,
        Ed25519.sign(
            identity.privateKey(),
            KeySignatures.signedPreKeyMessageV3(deviceId, keyId, createdAt, publicKey)));
  }

  /** {@code count} one-time prekeys numbered from {@code firstId}. */
  public static List<OneTimePreKey> oneTimePreKeys(long firstId, int count) {
    List<OneTimePreKey> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(new OneTimePreKey(firstId + i, X25519.generate(RANDOM).publicKey()));
    }
    return keys;
  }
}
