package com.securecom.protocol.groups;

import java.nio.charset.StandardCharsets;

/**
 * The rule of a group's name (docs/protocol.md, "Group state"): 1 to {@value #MAX_BYTES} UTF-8
 * bytes of well-formed Unicode (no unpaired surrogate), no character of general category Cc
 * (control), and not only whitespace (at least one character outside the categories Zs, Zl and Zp,
 * which with Cc refused are exactly Unicode's White_Space characters).
 *
 * <p>The rule keeps line breaks and escape sequences out; it does not make a name safe to print as
 * it is (format characters such as bidirectional overrides are allowed): a client shows a name the
 * way it shows any text from a peer.
 */
public final class GroupNames {
  /** The longest name, in UTF-8 bytes. */
  public static final int MAX_BYTES = 200;

  /** The rule in words, for messages to users. */
  public static final String RULE =
      "1 to " + MAX_BYTES + " UTF-8 bytes, no control characters, not only spaces";

  private GroupNames() {}

  /** True if {@code name} follows the rule (false for null). */
  public static boolean isValid(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_BYTES) {
      return false; // a UTF-16 unit is at least one UTF-8 byte
    }
    boolean onlySpace = true;
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      int type = Character.getType(c);
      if (type == Character.CONTROL || type == Character.SURROGATE) {
        return false;
      }
      onlySpace &=
          type == Character.SPACE_SEPARATOR
              || type == Character.LINE_SEPARATOR
              || type == Character.PARAGRAPH_SEPARATOR;
      i += Character.charCount(c);
    }
    return !onlySpace && name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
  }
}
