package com.securecom.server.devicelist;

import com.securecom.server.web.InvalidRequestException;
import com.securecom.server.web.JsonFields;

/**
 * The rule of a device's name: 1 to {@value #MAX_LENGTH} Unicode code points, none of them a
 * control or format character (no line breaks, no bidirectional overrides that would make one name
 * look like another), a surrogate or unassigned, and not only spaces. Shown only to the account's
 * own devices.
 */
final class DeviceNames {
  static final int MAX_LENGTH = 64;

  private DeviceNames() {}

  /** The name in {@code field} of {@code body}, or null if the field is absent. */
  static String optional(JsonFields body, String field) {
    if (!body.has(field)) {
      return null;
    }
    String name = body.string(field);
    if (!isValid(name)) {
      throw new InvalidRequestException(
          body.name(field),
          body.name(field)
              + " must be 1 to "
              + MAX_LENGTH
              + " characters, not only spaces, without control or format characters");
    }
    return name;
  }

  static boolean isValid(String name) {
    int length = name.codePointCount(0, name.length());
    if (length < 1 || length > MAX_LENGTH || name.isBlank()) {
      return false;
    }
    return name.codePoints()
        .noneMatch(
            c -> {
              int type = Character.getType(c);
              return type == Character.CONTROL
                  || type == Character.FORMAT
                  || type == Character.SURROGATE
                  || type == Character.UNASSIGNED
                  || type == Character.PRIVATE_USE
                  || type == Character.LINE_SEPARATOR
                  || type == Character.PARAGRAPH_SEPARATOR;
            });
  }
}
