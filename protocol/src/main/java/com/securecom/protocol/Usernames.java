package com.securecom.protocol;

import java.util.regex.Pattern;

/**
 * The rule every username follows: 3-32 characters of {@code a-z 0-9 . _ -} (docs/protocol.md,
 * "Fields"). The server refuses any other name at registration, login and as a relay recipient; the
 * Java client builds on it; the browser's copy (js/lib/usernames.js) is held to the same answers by
 * vectors/usernames.json.
 */
public final class Usernames {
  public static final Pattern PATTERN = Pattern.compile("[a-z0-9._-]{3,32}");

  /** The rule in words, for messages to users. */
  public static final String RULE = "3-32 characters of a-z, 0-9, '.', '_' or '-'";

  private Usernames() {}

  /**
   * True if {@code username} follows the rule (false for null): {@link #PATTERN}, checked character
   * by character, as every relayed message names its recipient.
   */
  public static boolean isValid(String username) {
    if (username == null || username.length() < 3 || username.length() > 32) {
      return false;
    }
    for (int i = 0; i < username.length(); i++) {
      char c = username.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }
}
