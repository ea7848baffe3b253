package com.securecom.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.client.app.OwnDevices;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table {@code securecom devices} prints, as the design document draws it. */
class DeviceTableTest {
  private static final Instant NOW = Instant.parse("2026-12-03T17:40:00Z");
  private static final DeviceTable TABLE =
      new DeviceTable(Clock.fixed(NOW, ZoneId.of("Europe/Berlin")));

  private static OwnDevices.Device device(
      int id, String created, Duration seenAgo, Long queued, String name) {
    return new OwnDevices.Device(
        id, Instant.parse(created), seenAgo == null ? null : NOW.minus(seenAgo), queued, name);
  }

  @Test
  void columns_localTimes_andThisDeviceMarked() {
    OwnDevices.Listing listing =
        new OwnDevices.Listing(
            "alice",
            1,
            List.of(
                device(1, "2026-11-02T08:14:00Z", Duration.ofDays(9), 0L, "laptop"),
                device(2, "2026-11-30T16:40:00Z", Duration.ofDays(3), 12L, "browser")),
            List.of());

    assertThat(TABLE.lines(listing))
        .containsExactly(
            "ID  CREATED           LAST SEEN   QUEUED  NAME",
            "1   2026-11-02 09:14  now         0       laptop (this device)",
            "2   2026-11-30 17:40  3 days ago  12      browser");
  }

  @Test
  void whatTheServerDidNotReport_showsAsAQuestionMark_andNeverSeenAsNever() {
    OwnDevices.Listing listing =
        new OwnDevices.Listing(
            "alice",
            2,
            List.of(
                new OwnDevices.Device(1, null, null, null, null),
                device(2, "2026-11-30T16:40:00Z", null, 0L, null),
                device(10, "2026-11-30T16:40:00Z", null, 0L, "new")),
            List.of());

    assertThat(TABLE.lines(listing))
        .containsExactly(
            "ID  CREATED           LAST SEEN  QUEUED  NAME",
            "1   ?                 ?          ?",
            "2   2026-11-30 17:40  now        0       (this device)",
            "10  2026-11-30 17:40  never      0       new");
  }

  @Test
  void lastSeen_saysHowLongAgo_inTheLargestWholeUnit() {
    assertThat(DeviceTable.ago(NOW.minusSeconds(59), NOW)).isEqualTo("now");
    assertThat(DeviceTable.ago(NOW.plusSeconds(3600), NOW)).as("a clock ahead").isEqualTo("now");
    assertThat(DeviceTable.ago(NOW.minusSeconds(60), NOW)).isEqualTo("1 min ago");
    assertThat(DeviceTable.ago(NOW.minusSeconds(3599), NOW)).isEqualTo("59 min ago");
    assertThat(DeviceTable.ago(NOW.minusSeconds(3600), NOW)).isEqualTo("1 hour ago");
    assertThat(DeviceTable.ago(NOW.minus(Duration.ofHours(47)), NOW)).isEqualTo("47 hours ago");
    assertThat(DeviceTable.ago(NOW.minus(Duration.ofHours(48)), NOW)).isEqualTo("2 days ago");
    assertThat(DeviceTable.ago(null, NOW)).isEqualTo("never");
  }

  @Test
  void aLongName_isCutAt64CodePoints() {
    String name = "\uD83D\uDE42".repeat(70);
    OwnDevices.Listing listing =
        new OwnDevices.Listing(
            "alice", 1, List.of(device(2, "2026-11-30T16:40:00Z", null, 0L, name)), List.of());

    assertThat(TABLE.lines(listing).get(1)).endsWith("  " + "\uD83D\uDE42".repeat(64) + "...");
  }
}
