package com.securecom.client.e2e;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.Hkdf;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.vectors.VectorFiles;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The peer protocol written out once more, straight from docs/protocol.md, with the bare primitives
 * only and none of the e2e classes. The vector generators compute every value with it and with the
 * implementation, and refuse to write when they disagree.
 */
final class Documented {
  static final byte[] ZEROS_32 = new byte[32];

  private Documented() {}

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] identityDhSignature(Ed25519.KeyPair identity, byte[] identityDhPublic) {
    return Ed25519.sign(
        identity.privateKey(),
        Bytes.concat(ascii("SecureCom identity DH key v1"), identityDhPublic));
  }

  /** Ed25519 over "SecureCom signed prekey v2" || u64(keyId) || u64(createdAt) || publicKey. */
  static byte[] signedPreKeySignature(
      Ed25519.KeyPair identity, long keyId, long createdAt, byte[] publicKey) {
    byte[] ids = new byte[16];
    for (int i = 0; i < 8; i++) {
      ids[7 - i] = (byte) (keyId >>> (8 * i));
      ids[15 - i] = (byte) (createdAt >>> (8 * i));
    }
    return Ed25519.sign(
        identity.privateKey(), Bytes.concat(ascii("SecureCom signed prekey v2"), ids, publicKey));
  }

  static byte[] x3dhIkm(byte[]... dh) {
    byte[] ff = new byte[32];
    Arrays.fill(ff, (byte) 0xFF);
    return Bytes.concat(ff, Bytes.concat(dh));
  }

  static byte[] x3dhSecret(byte[] ikm) {
    return Hkdf.sha256(ikm, ZEROS_32, ascii("SecureCom X3DH v1"), 32);
  }

  static byte[] sessionAd(String a, byte[] ikA, byte[] ikDhA, String b, byte[] ikB, byte[] ikDhB) {
    byte[] ua = a.getBytes(StandardCharsets.UTF_8);
    byte[] ub = b.getBytes(StandardCharsets.UTF_8);
    return Bytes.concat(
        ascii("SecureCom session v1"),
        new byte[] {(byte) ua.length},
        ua,
        ikA,
        ikDhA,
        new byte[] {(byte) ub.length},
        ub,
        ikB,
        ikDhB);
  }

  static byte[] preKeyHeader(byte[] ik, byte[] ikDh, byte[] ek, long spkId, Long opkId) {
    return ByteBuffer.allocate(113)
        .put(ik)
        .put(ikDh)
        .put(ek)
        .putLong(spkId)
        .put((byte) (opkId == null ? 0 : 1))
        .putLong(opkId == null ? 0 : opkId)
        .array();
  }

  /**
   * Padding: content || 0x80 || 0x00*, the length the smallest multiple of 256 above the content's.
   */
  static byte[] pad(byte[] content) {
    int length = 256 * ((content.length + 1 + 255) / 256);
    byte[] padded = new byte[length];
    System.arraycopy(content, 0, padded, 0, content.length);
    padded[content.length] = (byte) 0x80;
    return padded;
  }

  static byte[] header(byte[] ratchetKey, long pn, long n) {
    return ByteBuffer.allocate(40).put(ratchetKey).putInt((int) pn).putInt((int) n).array();
  }

  /** KDF_RK: {rootKey, chainKey}. */
  static byte[][] kdfRk(byte[] rk, byte[] dhOut) {
    byte[] out = Hkdf.sha256(dhOut, rk, ascii("SecureCom ratchet v1"), 64);
    return new byte[][] {Arrays.copyOf(out, 32), Arrays.copyOfRange(out, 32, 64)};
  }

  /** KDF_CK: {messageKey, chainKey}. */
  static byte[][] kdfCk(byte[] ck) {
    return new byte[][] {hmac(ck, new byte[] {0x01}), hmac(ck, new byte[] {0x02})};
  }

  /** {aesKey, nonce}. */
  static byte[][] messageKeys(byte[] mk) {
    byte[] out = Hkdf.sha256(mk, ZEROS_32, ascii("SecureCom message v1"), 44);
    return new byte[][] {Arrays.copyOf(out, 32), Arrays.copyOfRange(out, 32, 44)};
  }

  static byte[] dh(X25519.KeyPair mine, byte[] theirs) {
    try {
      return X25519.agree(mine.privateKey(), theirs);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String fingerprint(String username, byte[] identityKey) {
    try {
      MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
      byte[] hash =
          sha512.digest(
              Bytes.concat(new byte[2], identityKey, username.getBytes(StandardCharsets.UTF_8)));
      for (int i = 0; i < 5199; i++) {
        hash = sha512.digest(Bytes.concat(hash, identityKey));
      }
      StringBuilder out = new StringBuilder();
      for (int c = 0; c < 30; c += 5) {
        long v = new java.math.BigInteger(1, Arrays.copyOfRange(hash, c, c + 5)).longValueExact();
        out.append(String.format(Locale.ROOT, "%05d", v % 100000));
      }
      return out.toString();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void same(String what, byte[] documented, byte[] implemented) {
    if (!Arrays.equals(documented, implemented)) {
      throw new IllegalStateException(
          what
              + " differs between the document and the implementation: "
              + VectorFiles.hex(documented)
              + " != "
              + (implemented == null ? "null" : VectorFiles.hex(implemented)));
    }
  }

  static void same(String what, String documented, String implemented) {
    if (!documented.equals(implemented)) {
      throw new IllegalStateException(what + " differs: " + documented + " != " + implemented);
    }
  }
}
