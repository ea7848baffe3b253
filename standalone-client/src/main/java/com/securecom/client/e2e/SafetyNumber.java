package com.securecom.client.e2e;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The number two users compare, out of band, to know that their session has no one in the middle:
 * 60 decimal digits, the same on both sides, shown as 12 groups of 5. Derived from each user's name
 * and Ed25519 identity key only (Signal's numeric fingerprint, version 0, with raw 32-byte keys):
 *
 * <pre>
 * hash = SHA-512(0x00 0x00 || identityKey || UTF-8 username)
 * 5199 times: hash = SHA-512(hash || identityKey)
 * fingerprint = for each of the six 5-byte chunks of hash[0..30): (uint40 BE mod 100000) as 5 digits  [30 digits]
 * safety number = the smaller fingerprint || the larger one                                           [60 digits]
 * </pre>
 */
public final class SafetyNumber {
  /** The number of SHA-512 invocations per fingerprint, the first one included. */
  public static final int ITERATIONS = 5200;

  private static final byte[] VERSION = {0x00, 0x00};

  private final String digits;

  private SafetyNumber(String digits) {
    this.digits = digits;
  }

  /**
   * The safety number of a session between user A and user B; swapping A and B gives the same
   * number.
   */
  public static SafetyNumber of(
      String nameA, byte[] identityKeyA, String nameB, byte[] identityKeyB) {
    String a = fingerprint(nameA, identityKeyA);
    String b = fingerprint(nameB, identityKeyB);
    return new SafetyNumber(a.compareTo(b) <= 0 ? a + b : b + a);
  }

  /** One user's 30-digit half of the safety number. */
  public static String fingerprint(String username, byte[] identityKey) {
    MessageDigest sha512;
    try {
      sha512 = MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is required by the Java platform", e);
    }
    sha512.update(VERSION);
    sha512.update(identityKey);
    byte[] hash = sha512.digest(username.getBytes(StandardCharsets.UTF_8));
    for (int i = 1; i < ITERATIONS; i++) {
      sha512.update(hash);
      hash = sha512.digest(identityKey);
    }
    StringBuilder out = new StringBuilder(30);
    for (int chunk = 0; chunk < 6; chunk++) {
      long value = 0;
      for (int i = 0; i < 5; i++) {
        value = (value << 8) | (hash[chunk * 5 + i] & 0xFF);
      }
      out.append(String.format(Locale.ROOT, "%05d", value % 100_000));
    }
    return out.toString();
  }

  /** The 60 digits without separators. */
  public String digits() {
    return digits;
  }

  /** 12 groups of 5 digits separated by single spaces. */
  public String display() {
    StringBuilder out = new StringBuilder(71);
    for (int i = 0; i < digits.length(); i += 5) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(digits, i, i + 5);
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SafetyNumber s && s.digits.equals(digits);
  }

  @Override
  public int hashCode() {
    return digits.hashCode();
  }

  @Override
  public String toString() {
    return display();
  }
}
