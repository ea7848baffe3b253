package com.securecom.protocol.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/** X25519 key agreement (RFC 7748) over raw 32-byte keys. */
public final class X25519 {
  public static final int KEY_BYTES = 32;

  private X25519() {}

  /** A fresh key pair from the given source of randomness. */
  public static KeyPair generate(SecureRandom random) {
    X25519PrivateKeyParameters priv = new X25519PrivateKeyParameters(random);
    return new KeyPair(priv.getEncoded(), priv.generatePublicKey().getEncoded());
  }

  /** The public key of a raw 32-byte private key. */
  public static byte[] publicKey(byte[] privateKey) {
    return new X25519PrivateKeyParameters(privateKey, 0).generatePublicKey().getEncoded();
  }

  /**
   * The shared secret of {@code privateKey} and {@code peerPublicKey}.
   *
   * @throws DecryptionFailedException if the peer key has the wrong length or is of small order
   *     (the result would be all zeros, RFC 7748 section 6.1), which a peer can only send to force
   *     a known secret
   */
  public static byte[] agree(byte[] privateKey, byte[] peerPublicKey)
      throws DecryptionFailedException {
    if (peerPublicKey == null || peerPublicKey.length != KEY_BYTES) {
      throw new DecryptionFailedException();
    }
    byte[] shared = new byte[KEY_BYTES];
    try {
      new X25519PrivateKeyParameters(privateKey, 0)
          .generateSecret(new X25519PublicKeyParameters(peerPublicKey, 0), shared, 0);
    } catch (IllegalStateException smallOrder) {
      throw new DecryptionFailedException();
    }
    int acc = 0;
    for (byte b : shared) {
      acc |= b;
    }
    if (acc == 0) {
      throw new DecryptionFailedException();
    }
    return shared;
  }

  /** A raw X25519 key pair. The private half is secret: never log or persist it unencrypted. */
  public record KeyPair(byte[] privateKey, byte[] publicKey) {
    @Override
    public String toString() {
      return "X25519.KeyPair[publicKey=" + Bytes.base64(publicKey) + ", privateKey=[REDACTED]]";
    }
  }
}
