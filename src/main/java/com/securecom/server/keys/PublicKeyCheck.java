package com.securecom.server.keys;

import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.crypto.X25519;
import com.securecom.server.web.InvalidRequestException;

/**
 * Refuses X25519 public keys that no honest client makes: a non-canonical encoding (top bit set, or
 * u at least p = 2^255 - 19) or a point of small order, whose shared secret with any key is all
 * zeros (RFC 7748 section 6.1). Stored as a prekey, such a key would make every session started
 * with it use a secret anyone knows.
 */
final class PublicKeyCheck {
  /**
   * A clamped scalar is a multiple of the cofactor 8, so it maps every small-order point to zero.
   */
  private static final byte[] PROBE = new byte[32];

  static {
    PROBE[0] = 8;
    PROBE[31] = 64;
  }

  private PublicKeyCheck() {}

  /**
   * {@code key} if it is a usable X25519 public key, else an {@link InvalidRequestException} naming
   * {@code field}.
   */
  static byte[] usableX25519(String field, byte[] key) {
    if (!isCanonical(key) || hasSmallOrder(key)) {
      throw new InvalidRequestException(
          field,
          field
              + " must be a canonical X25519 public key (u < 2^255-19) that is not of small order");
    }
    return key;
  }

  static boolean isCanonical(byte[] key) {
    if ((key[31] & 0x80) != 0) {
      return false;
    }
    // u >= p = 2^255 - 19 exactly when bytes 1..30 are 0xff, byte 31 is 0x7f and byte 0 is at least
    // 0xed.
    for (int i = 1; i < 31; i++) {
      if ((key[i] & 0xff) != 0xff) {
        return true;
      }
    }
    return !((key[31] & 0xff) == 0x7f && (key[0] & 0xff) >= 0xed);
  }

  static boolean hasSmallOrder(byte[] key) {
    try {
      X25519.agree(PROBE, key);
      return false;
    } catch (DecryptionFailedException allZero) {
      return true;
    }
  }
}
