package com.securecom.protocol.devices;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.crypto.X25519;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The code a new device shows so that an existing device of the account can link it
 * (docs/protocol.md, "Linking a device"): the new device's one-use X25519 public key {@code E}, a
 * 10-byte secret {@code s} and the expiry of its mailbox, with a 3-byte checksum against typos.
 *
 * <pre>
 * code [50] = 0x01 || E_pub [32] || s [10] || u32(expiresAt) [4] || checksum [3]
 * checksum  = SHA-256("SecureCom link code v1" || code[0..47))[0..3)
 * mailboxId = SHA-256("SecureCom link mailbox v1" || s)[0..16)
 * </pre>
 *
 * Its text form is 80 Crockford base32 characters in 16 groups of 5 joined by {@code -}; its QR
 * form {@code SECURECOM:} and the 80 characters. Security guarantee: the secret never leaves the
 * two devices through the server (the server sees only the mailbox id, a hash of it), so whoever
 * can read the provisioning message has seen the code.
 */
public final class LinkCode {
  /** The version byte this implementation writes and reads. */
  public static final int VERSION = 1;

  /** The code's length in bytes. */
  public static final int BYTES = 50;

  /** The secret's length in bytes. */
  public static final int SECRET_BYTES = 10;

  /** The mailbox id's length in bytes. */
  public static final int MAILBOX_BYTES = 16;

  /** A code is still taken this long after its mailbox's expiry (clocks differ). */
  public static final long GRACE_SECONDS = 120;

  /** What the QR form starts with. */
  public static final String QR_PREFIX = "SECURECOM:";

  private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  private static final int TEXT_CHARS = BYTES * 8 / 5;
  private static final byte[] CHECKSUM_LABEL = Bytes.ascii("SecureCom link code v1");
  private static final byte[] MAILBOX_LABEL = Bytes.ascii("SecureCom link mailbox v1");

  /** Any clamped scalar finds a small-order point: its shared secret is all zeros. */
  private static final byte[] PROBE = new byte[X25519.KEY_BYTES];

  static {
    PROBE[0] = 8;
  }

  private final byte[] ephemeralKey;
  private final byte[] secret;
  private final long expiresAt;

  /**
   * @param ephemeralKey {@code E_pub}, the new device's one-use X25519 public key
   * @param secret {@code s}, 10 random bytes
   * @param expiresAt the mailbox's expiry, seconds since the epoch (0 to 2^32 - 1)
   * @throws IllegalArgumentException if a part has another length or range
   */
  public LinkCode(byte[] ephemeralKey, byte[] secret, long expiresAt) {
    if (ephemeralKey == null
        || ephemeralKey.length != X25519.KEY_BYTES
        || secret == null
        || secret.length != SECRET_BYTES
        || expiresAt < 0
        || expiresAt > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("a link code is a 32-byte key, 10 bytes and a u32 time");
    }
    this.ephemeralKey = ephemeralKey.clone();
    this.secret = secret.clone();
    this.expiresAt = expiresAt;
  }

  public byte[] ephemeralKey() {
    return ephemeralKey.clone();
  }

  public byte[] secret() {
    return secret.clone();
  }

  /** The mailbox's expiry, seconds since the epoch. */
  public long expiresAt() {
    return expiresAt;
  }

  /** True if {@code now} is more than {@link #GRACE_SECONDS} after the mailbox's expiry. */
  public boolean isExpired(Instant now) {
    return now.getEpochSecond() > expiresAt + GRACE_SECONDS;
  }

  /** The 16-byte mailbox id: {@code SHA-256("SecureCom link mailbox v1" || s)[0..16)}. */
  public byte[] mailboxId() {
    return mailboxIdOf(secret);
  }

  /** The mailbox id as the REST API names it: 32 lowercase hexadecimal digits. */
  public String mailbox() {
    return HexFormat.of().formatHex(mailboxId());
  }

  static byte[] mailboxIdOf(byte[] secret) {
    return Arrays.copyOf(Bytes.sha256(MAILBOX_LABEL, secret), MAILBOX_BYTES);
  }

  /** The 50 bytes. */
  public byte[] toBytes() {
    ByteBuffer b = ByteBuffer.allocate(BYTES);
    b.put((byte) VERSION).put(ephemeralKey).put(secret).putInt((int) expiresAt);
    b.put(checksum(Arrays.copyOf(b.array(), BYTES - 3)));
    return b.array();
  }

  /** The text form: 80 Crockford base32 characters, 16 groups of 5 joined by {@code -}. */
  public String text() {
    String plain = base32(toBytes());
    StringBuilder out = new StringBuilder(TEXT_CHARS + 15);
    for (int i = 0; i < TEXT_CHARS; i += 5) {
      if (i > 0) {
        out.append('-');
      }
      out.append(plain, i, i + 5);
    }
    return out.toString();
  }

  /** The QR form: {@code SECURECOM:} and the 80 characters without separators. */
  public String qrText() {
    return QR_PREFIX + base32(toBytes());
  }

  /**
   * Reads a code as typed, pasted or scanned: upper-cases it, drops {@code -} and whitespace (and a
   * leading {@code SECURECOM:}), reads {@code O} as {@code 0} and {@code I}, {@code L} as {@code
   * 1}; then checks, in this order, the length, the checksum, the version and the key.
   *
   * @throws LinkCodeException with the first check that fails
   */
  public static LinkCode read(String text) throws LinkCodeException {
    byte[] code = decodeText(text);
    if (!MessageDigest.isEqual(
        checksum(Arrays.copyOf(code, BYTES - 3)), Arrays.copyOfRange(code, BYTES - 3, BYTES))) {
      throw new LinkCodeException(LinkCodeException.Reason.CHECKSUM);
    }
    if (code[0] != VERSION) {
      throw new LinkCodeException(LinkCodeException.Reason.VERSION);
    }
    byte[] key = Arrays.copyOfRange(code, 1, 33);
    if (!isUsableKey(key)) {
      throw new LinkCodeException(LinkCodeException.Reason.KEY);
    }
    long expiresAt = ByteBuffer.wrap(code, 43, 4).getInt() & 0xFFFF_FFFFL;
    return new LinkCode(key, Arrays.copyOfRange(code, 33, 43), expiresAt);
  }

  /**
   * True if {@code key} is a canonical X25519 public key (below 2^255 - 19, top bit clear) and not
   * of small order (its shared secret with any key would be all zeros).
   */
  static boolean isUsableKey(byte[] key) {
    if ((key[31] & 0x80) != 0) {
      return false;
    }
    boolean atLeastP = (key[31] & 0xFF) == 0x7F && (key[0] & 0xFF) >= 0xED;
    for (int i = 1; i < 31 && atLeastP; i++) {
      atLeastP = (key[i] & 0xFF) == 0xFF;
    }
    if (atLeastP) {
      return false;
    }
    try {
      X25519.agree(PROBE, key);
      return true;
    } catch (DecryptionFailedException smallOrder) {
      return false;
    }
  }

  private static byte[] checksum(byte[] first47) {
    return Arrays.copyOf(Bytes.sha256(CHECKSUM_LABEL, first47), 3);
  }

  private static String base32(byte[] bytes) {
    StringBuilder out = new StringBuilder(TEXT_CHARS);
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    return out.toString(); // 400 bits: no remainder
  }

  private static byte[] decodeText(String text) throws LinkCodeException {
    if (text == null || text.length() > 1_000) {
      throw new LinkCodeException(LinkCodeException.Reason.UNREADABLE);
    }
    String upper = text.strip().toUpperCase(Locale.ROOT);
    if (upper.startsWith(QR_PREFIX)) {
      upper = upper.substring(QR_PREFIX.length());
    }
    StringBuilder chars = new StringBuilder(TEXT_CHARS);
    for (int i = 0; i < upper.length(); i++) {
      char c = upper.charAt(i);
      if (c == '-' || Character.isWhitespace(c)) {
        continue;
      }
      chars.append(c == 'O' ? '0' : c == 'I' || c == 'L' ? '1' : c);
    }
    if (chars.length() != TEXT_CHARS) {
      throw new LinkCodeException(LinkCodeException.Reason.UNREADABLE);
    }
    byte[] out = new byte[BYTES];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (int i = 0; i < TEXT_CHARS; i++) {
      int value = ALPHABET.indexOf(chars.charAt(i));
      if (value < 0) {
        throw new LinkCodeException(LinkCodeException.Reason.UNREADABLE);
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        out[n++] = (byte) (buffer >> (bits - 8));
        bits -= 8;
      }
    }
    return out;
  }
}
