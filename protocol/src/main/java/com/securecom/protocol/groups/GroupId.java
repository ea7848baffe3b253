package com.securecom.protocol.groups;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A group's id: 16 random bytes, written as 32 lowercase hex characters (docs/protocol.md, "Group
 * id"). The creator draws it; it never changes, so it names the group in every update and text.
 *
 * @param hex the 32 lowercase hex characters
 */
public record GroupId(String hex) {
  /** The id's length in bytes. */
  public static final int BYTES = 16;

  /**
   * @throws IllegalArgumentException if {@code hex} is not exactly 32 characters of {@code
   *     [0-9a-f]}
   */
  public GroupId {
    if (!isValid(hex)) {
      throw new IllegalArgumentException("a group id is 32 characters of [0-9a-f]");
    }
  }

  /** A fresh id from {@code random}. */
  public static GroupId random(SecureRandom random) {
    byte[] bytes = new byte[BYTES];
    random.nextBytes(bytes);
    return new GroupId(HexFormat.of().formatHex(bytes));
  }

  /**
   * Reads an id as written: exactly 32 characters of {@code [0-9a-f]} (no upper case, no
   * whitespace, no prefix).
   *
   * @throws MalformedGroupException if {@code text} is anything else (or null)
   */
  public static GroupId parse(String text) throws MalformedGroupException {
    if (!isValid(text)) {
      throw new MalformedGroupException("a group id is 32 characters of [0-9a-f]");
    }
    return new GroupId(text);
  }

  /** True if {@code text} is exactly 32 characters of {@code [0-9a-f]} (false for null). */
  public static boolean isValid(String text) {
    if (text == null || text.length() != 2 * BYTES) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return hex;
  }
}
