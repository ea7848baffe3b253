package com.securecom.protocol.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Byte helpers used by the wire formats: concatenation, SHA-256, constant-time equality, base64.
 */
public final class Bytes {
  private Bytes() {}

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  public static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  public static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  /** Compares secrets in time that depends only on their lengths. */
  public static boolean constantTimeEquals(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }

  /** Standard base64 with padding (RFC 4648 section 4). */
  public static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * Decodes canonical standard base64 (RFC 4648 section 4, with padding, the unused bits of the
   * last character zero: the one spelling {@link #base64} writes of these bytes), or returns null
   * for any other text. Checked on the text itself, without encoding the bytes again.
   */
  public static byte[] fromCanonicalBase64(String text) {
    int length = text.length();
    if (length % 4 != 0) {
      return null;
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
    // The decoder took the alphabet and the padding's place; what it lets through is padding left
    // out (refused above: the length) and unused bits set in the last character before it.
    if (length != (bytes.length + 2) / 3 * 4) {
      return null;
    }
    int unusedBits =
        switch (bytes.length % 3) {
          case 1 -> 0b1111; // xx==: the second character carries 2 bits
          case 2 -> 0b11; // xxx=: the third carries 4
          default -> 0;
        };
    if (unusedBits != 0) {
      int last = length - (bytes.length % 3 == 1 ? 3 : 2);
      if ((sextet(text.charAt(last)) & unusedBits) != 0) {
        return null;
      }
    }
    return bytes;
  }

  /** The value of a character of the standard base64 alphabet (already checked by the decoder). */
  private static int sextet(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    return c == '+' ? 62 : 63;
  }

  /**
   * Decodes standard base64 with padding.
   *
   * @throws IllegalArgumentException if {@code text} is not valid base64
   */
  public static byte[] fromBase64(String text) {
    return Base64.getDecoder().decode(text);
  }
}
