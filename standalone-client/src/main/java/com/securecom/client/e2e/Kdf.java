package com.securecom.client.e2e;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Hkdf;
import com.securecom.protocol.crypto.internal.InsecureNonceAesGcm;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The peer protocol's key derivations, exactly as docs/protocol.md states them. */
final class Kdf {
  static final String X3DH_INFO = "SecureCom X3DH v1";
  static final String RATCHET_INFO = "SecureCom ratchet v1";
  static final String MESSAGE_INFO = "SecureCom message v1";
  static final int KEY_BYTES = 32;
  private static final byte[] ZERO_SALT = new byte[32];
  private static final byte[] MESSAGE_KEY_INPUT = {0x01};
  private static final byte[] CHAIN_KEY_INPUT = {0x02};

  private Kdf() {}

  /**
   * The X3DH shared secret from the DH outputs in order (DH1, DH2, DH3 and, when an OPK was used,
   * DH4).
   */
  static byte[] x3dh(byte[]... dhOutputs) {
    byte[] ff = new byte[32];
    Arrays.fill(ff, (byte) 0xFF);
    byte[] ikm = Bytes.concat(ff, Bytes.concat(dhOutputs));
    return Hkdf.sha256(ikm, ZERO_SALT, Bytes.ascii(X3DH_INFO), KEY_BYTES);
  }

  /** KDF_RK: the next root key and a chain key. */
  record RootStep(byte[] rootKey, byte[] chainKey) {}

  static RootStep root(byte[] rootKey, byte[] dhOutput) {
    byte[] out = Hkdf.sha256(dhOutput, rootKey, Bytes.ascii(RATCHET_INFO), 2 * KEY_BYTES);
    return new RootStep(
        Arrays.copyOfRange(out, 0, KEY_BYTES), Arrays.copyOfRange(out, KEY_BYTES, 2 * KEY_BYTES));
  }

  /** KDF_CK: a message key and the next chain key. */
  record ChainStep(byte[] messageKey, byte[] chainKey) {}

  static ChainStep chain(byte[] chainKey) {
    return new ChainStep(
        hmacSha256(chainKey, MESSAGE_KEY_INPUT), hmacSha256(chainKey, CHAIN_KEY_INPUT));
  }

  /**
   * The AES-256 key and GCM nonce of one message key. Each message key seals exactly one message,
   * so its derived nonce never repeats under its derived key: why the ratchet may use {@link
   * InsecureNonceAesGcm}.
   */
  record MessageKeys(byte[] aesKey, byte[] nonce) {}

  static MessageKeys message(byte[] messageKey) {
    byte[] out =
        Hkdf.sha256(
            messageKey,
            ZERO_SALT,
            Bytes.ascii(MESSAGE_INFO),
            KEY_BYTES + InsecureNonceAesGcm.NONCE_BYTES);
    return new MessageKeys(
        Arrays.copyOfRange(out, 0, KEY_BYTES), Arrays.copyOfRange(out, KEY_BYTES, out.length));
  }

  static byte[] hmacSha256(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
    }
  }
}
