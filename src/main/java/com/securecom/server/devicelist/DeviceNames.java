package com.securecom.server.devicelist;

import com.securecom.server.web.InvalidRequestException;
import com.securecom.server.web.JsonFields;

/**
 * A device's name in a request, checked against the protocol's rule ({@link
 * com.securecom.protocol.DeviceNames}: 1 to {@value #MAX_LENGTH} code points, no control or format
 * character, not only spaces). Shown only to the account's own devices.
 */
final class DeviceNames {
  static final int MAX_LENGTH = com.securecom.protocol.DeviceNames.MAX_LENGTH;

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
    return com.securecom.protocol.DeviceNames.isValid(name);
  }
}
