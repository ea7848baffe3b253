package com.securecom.server.account;

import java.util.regex.Pattern;

/** The rule every username follows: 3-32 characters of {@code a-z 0-9 . _ -}. */
public final class Usernames {
  public static final Pattern PATTERN = Pattern.compile("[a-z0-9._-]{3,32}");
  public static final String RULE = "3-32 characters of a-z, 0-9, '.', '_' or '-'";

  private Usernames() {}

  public static boolean isValid(String username) {
    return username != null && PATTERN.matcher(username).matches();
  }
}
