package com.securecom.client.app;

import com.securecom.protocol.DeviceIds;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the server reports of each of the account's devices in {@code GET /api/devices} ({@code
 * devices: [{deviceId, name?, createdAt, lastSeenAt?, queued, queuedBytes}]}): figures to show,
 * never which devices there are (that is the signed list's to say). Read leniently, as anything the
 * server sends: a member that is missing or not of its type reads as unknown (null), and an element
 * without a valid {@code deviceId} is skipped.
 */
final class ServerDeviceRows {
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private ServerDeviceRows() {}

  /** One device as the server reports it; every member but the id may be null (unknown). */
  record Row(int deviceId, String name, Instant createdAt, Instant lastSeenAt, Long queued) {}

  /** The rows of {@code served}, by device id (the first of a repeated id). */
  static Map<Integer, Row> of(JsonObject served) {
    Map<Integer, Row> rows = new TreeMap<>();
    if (!(served.get("devices") instanceof JsonArray devices)) {
      return rows;
    }
    for (JsonValue value : devices) {
      if (!(value instanceof JsonObject device)) {
        continue;
      }
      Long id = count(device.get("deviceId"));
      if (id != null && DeviceIds.isValid(id)) {
        rows.putIfAbsent(
            id.intValue(),
            new Row(
                id.intValue(),
                device.get("name") instanceof JsonString name ? name.getString() : null,
                instant(device.get("createdAt")),
                instant(device.get("lastSeenAt")),
                count(device.get("queued"))));
      }
    }
    return rows;
  }

  /** A whole JSON number from 0 to 2^63 - 1, else null (compared before it is converted). */
  private static Long count(JsonValue value) {
    if (value instanceof JsonNumber number) {
      BigDecimal exact = number.bigDecimalValue();
      if (exact.signum() >= 0
          && exact.compareTo(LONG_MAX) <= 0
          && exact.stripTrailingZeros().scale() <= 0) {
        return exact.longValueExact();
      }
    }
    return null;
  }

  private static Instant instant(JsonValue value) {
    if (value instanceof JsonString text) {
      try {
        return Instant.parse(text.getString());
      } catch (DateTimeParseException malformed) {
        return null;
      }
    }
    return null;
  }
}
