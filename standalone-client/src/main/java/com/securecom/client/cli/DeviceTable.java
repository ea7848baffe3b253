package com.securecom.client.cli;

import com.securecom.client.app.OwnDevices;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code securecom devices} prints: one line per device of the signed list, in columns (ID,
 * CREATED in the local time zone, LAST SEEN relative to now, QUEUED, NAME), the device in use
 * marked "(this device)". Names are the server's word and print through {@link TerminalText}; what
 * the server did not report shows as "?".
 */
final class DeviceTable {
  static final int NAME_LENGTH = 64;
  private static final String[] HEADER = {"ID", "CREATED", "LAST SEEN", "QUEUED", "NAME"};

  private final Clock clock;
  private final DateTimeFormatter created;

  /** Times in {@code clock}'s zone; "now" is {@code clock}'s. */
  DeviceTable(Clock clock) {
    this.clock = clock;
    this.created = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm").withZone(clock.getZone());
  }

  List<String> lines(OwnDevices.Listing listing) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    Instant now = clock.instant();
    for (OwnDevices.Device d : listing.devices()) {
      boolean self = d.id() == listing.thisDevice();
      rows.add(
          new String[] {
            Integer.toString(d.id()),
            d.createdAt() == null ? "?" : created.format(d.createdAt()),
            self ? "now" : d.queued() == null ? "?" : ago(d.lastSeenAt(), now),
            d.queued() == null ? "?" : Long.toString(d.queued()),
            name(d.name(), self)
          });
    }
    int[] widths = new int[HEADER.length - 1];
    for (String[] row : rows) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        line.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 2));
      }
      lines.add(line.append(row[widths.length]).toString().stripTrailing());
    }
    return lines;
  }

  private static String name(String name, boolean self) {
    String shown = name == null ? "" : TerminalText.printable(name, NAME_LENGTH);
    if (!self) {
      return shown;
    }
    return shown.isEmpty() ? "(this device)" : shown + " (this device)";
  }

  /**
   * {@code seen} relative to {@code now}: "never", "now", "5 min ago", "3 hours ago", "2 days ago".
   */
  static String ago(Instant seen, Instant now) {
    if (seen == null) {
      return "never";
    }
    Duration since = Duration.between(seen, now);
    if (since.toMinutes() < 1) {
      return "now";
    }
    if (since.toHours() < 1) {
      return since.toMinutes() + " min ago";
    }
    if (since.toDays() < 2) {
      return since.toHours() + (since.toHours() == 1 ? " hour ago" : " hours ago");
    }
    return since.toDays() + " days ago";
  }
}
