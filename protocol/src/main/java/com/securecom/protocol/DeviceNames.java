package com.securecom.protocol;

/**
 * The rule of a device's name (docs/protocol.md, "Linking a device" under the REST API, {@code
 * name}): 1 to {@value #MAX_LENGTH} Unicode code points, none of them {@linkplain #isUnsafe
 * unsafe}, and not only spaces. The server refuses any other name; a client prints a name it is
 * served with the unsafe code points replaced, so a server that breaks the rule cannot drive a
 * terminal or make one name look like another.
 */
public final class DeviceNames {
  /** The longest name, in code points. */
  public static final int MAX_LENGTH = 64;

  private DeviceNames() {}

  /** True if {@code name} follows the rule. */
  public static boolean isValid(String name) {
    if (name == null) {
      return false;
    }
    int length = name.codePointCount(0, name.length());
    return length >= 1
        && length <= MAX_LENGTH
        && !name.isBlank()
        && name.codePoints().noneMatch(DeviceNames::isUnsafe);
  }

  /**
   * True for a code point no name may hold: a control or format character (line breaks, escape
   * sequences, bidirectional overrides), a line or paragraph separator, an unpaired surrogate, an
   * unassigned or private-use code point.
   */
  public static boolean isUnsafe(int codePoint) {
    int type = Character.getType(codePoint);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.SURROGATE
        || type == Character.UNASSIGNED
        || type == Character.PRIVATE_USE
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }
}
