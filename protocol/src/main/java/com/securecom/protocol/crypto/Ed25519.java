package com.securecom.protocol.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** Ed25519 signatures (RFC 8032, pure) over raw 32-byte keys and 64-byte signatures. */
public final class Ed25519 {
  public static final int KEY_BYTES = 32;
  public static final int SIGNATURE_BYTES = 64;

  private Ed25519() {}

  public static KeyPair generate(SecureRandom random) {
    Ed25519PrivateKeyParameters priv = new Ed25519PrivateKeyParameters(random);
    return new KeyPair(priv.getEncoded(), priv.generatePublicKey().getEncoded());
  }

  /** The public key of a raw 32-byte private key (seed). */
  public static byte[] publicKey(byte[] privateKey) {
    return new Ed25519PrivateKeyParameters(privateKey, 0).generatePublicKey().getEncoded();
  }

  public static byte[] sign(byte[] privateKey, byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, new Ed25519PrivateKeyParameters(privateKey, 0));
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /**
   * True only if {@code signature} is a valid signature of {@code message} by {@code publicKey},
   * checked strictly (Bouncy Castle's verifier): S below the group order, so no second signature
   * can be made from a first, and R a canonical encoding, as RFC 8032 section 5.1.7 requires;
   * beyond the RFC, no public key of small order, which lenient verifiers let "sign" every message.
   * Wrong lengths and nulls give false, never an exception. {@code WycheproofEd25519Test} holds
   * this to Wycheproof's vectors.
   */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey == null
        || publicKey.length != KEY_BYTES
        || signature == null
        || signature.length != SIGNATURE_BYTES) {
      return false;
    }
    try {
      Ed25519Signer verifier = new Ed25519Signer();
      verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
      verifier.update(message, 0, message.length);
      return verifier.verifySignature(signature);
    } catch (IllegalArgumentException invalidPoint) {
      return false;
    }
  }

  /** A raw Ed25519 key pair. The private half is secret: never log or persist it unencrypted. */
  public record KeyPair(byte[] privateKey, byte[] publicKey) {
    @Override
    public String toString() {
      return "Ed25519.KeyPair[publicKey=" + Bytes.base64(publicKey) + ", privateKey=[REDACTED]]";
    }
  }
}
