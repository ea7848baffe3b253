package com.securecom.server.keys;

import com.securecom.server.web.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A list of device ids in a query parameter: {@code 1,3,4}, each a device id written without
 * leading zero (1 to 999,999,999), strictly ascending (so distinct), 1 to a maximum count, nothing
 * else (no spaces, no empty items).
 */
final class DeviceIdList {
  private static final Pattern FORM = Pattern.compile("[1-9][0-9]{0,8}(,[1-9][0-9]{0,8}){0,15}");

  private DeviceIdList() {}

  /**
   * The ids of {@code text}.
   *
   * @throws InvalidRequestException naming {@code field} if it breaks a rule
   */
  static List<Integer> parse(String text, String field, int max) {
    if (!FORM.matcher(text).matches()) {
      throw refused(field, max);
    }
    List<Integer> ids = new ArrayList<>();
    for (String item : text.split(",")) {
      int id = Integer.parseInt(item);
      if (!ids.isEmpty() && id <= ids.get(ids.size() - 1)) {
        throw refused(field, max);
      }
      ids.add(id);
    }
    if (ids.size() > max) {
      throw refused(field, max);
    }
    return ids;
  }

  private static InvalidRequestException refused(String field, int max) {
    return new InvalidRequestException(
        field,
        field
            + " must be 1 to "
            + max
            + " device ids (1 to 999999999, no leading zero), ascending, separated by commas");
  }
}
