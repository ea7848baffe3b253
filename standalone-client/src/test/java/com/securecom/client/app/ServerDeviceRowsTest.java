package com.securecom.client.app;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What the server reports of each device is read leniently: a member it garbles is unknown, never a
 * failure, and never a device id outside the rule.
 */
class ServerDeviceRowsTest {
  private static JsonObject json(String text) {
    return Json.createReader(new StringReader(text)).readObject();
  }

  @Test
  void aWellFormedAnswer_readsEveryMember() {
    var rows =
        ServerDeviceRows.of(
            json(
                "{\"devices\":[{\"deviceId\":2,\"name\":\"laptop\",\"createdAt\":\"2026-11-30T16:40:00Z\","
                    + "\"lastSeenAt\":\"2026-12-01T10:00:00Z\",\"queued\":12,\"queuedBytes\":4096},"
                    + "{\"deviceId\":1,\"createdAt\":\"2026-11-02T08:14:00Z\",\"queued\":0}]}"));

    assertThat(rows.keySet()).containsExactly(1, 2);
    assertThat(rows.get(2))
        .isEqualTo(
            new ServerDeviceRows.Row(
                2,
                "laptop",
                Instant.parse("2026-11-30T16:40:00Z"),
                Instant.parse("2026-12-01T10:00:00Z"),
                12L));
    assertThat(rows.get(1).name()).isNull();
    assertThat(rows.get(1).lastSeenAt()).isNull();
  }

  @Test
  void garbledMembers_readAsUnknown_andRowsWithoutAValidId_areSkipped() {
    var rows =
        ServerDeviceRows.of(
            json(
                "{\"devices\":[{\"deviceId\":3,\"name\":7,\"createdAt\":\"yesterday\","
                    + "\"lastSeenAt\":12,\"queued\":-1},"
                    + "{\"deviceId\":4,\"queued\":1.5},{\"deviceId\":5,\"queued\":1e400},"
                    + "{\"deviceId\":0},{\"deviceId\":1000000000},{\"deviceId\":\"6\"},"
                    + "{\"deviceId\":7.5},{\"deviceId\":4294967298},{\"deviceId\":1e999999999},"
                    + "[],7,null,{\"deviceId\":3,\"name\":\"second\"}]}"));

    assertThat(rows.keySet()).containsExactly(3, 4, 5);
    assertThat(rows.get(3)).isEqualTo(new ServerDeviceRows.Row(3, null, null, null, null));
    assertThat(rows.get(4).queued()).isNull();
    assertThat(rows.get(5).queued()).isNull();
    assertThat(ServerDeviceRows.of(json("{\"devices\":{}}"))).isEmpty();
    assertThat(ServerDeviceRows.of(json("{}"))).isEmpty();
  }

  @Test
  void randomAnswers_neverFail() {
    Random random = new Random(14);
    String[] values = {
      "0",
      "1",
      "-1",
      "2",
      "1e3",
      "1.0",
      "99999999999999999999",
      "\"x\"",
      "null",
      "true",
      "[]",
      "{}",
      "\"2026-11-30T16:40:00Z\""
    };
    String[] members = {"deviceId", "name", "createdAt", "lastSeenAt", "queued"};
    for (int i = 0; i < 2_000; i++) {
      StringBuilder answer = new StringBuilder("{\"devices\":[");
      for (int r = random.nextInt(5); r > 0; r--) {
        answer.append('{');
        for (int m = 0; m < members.length; m++) {
          answer
              .append(m == 0 ? "" : ",")
              .append('"')
              .append(members[m])
              .append("\":")
              .append(values[random.nextInt(values.length)]);
        }
        answer.append(r > 1 ? "}," : "}");
      }
      String text = answer.append("]}").toString();
      assertThat(ServerDeviceRows.of(json(text)).keySet()).as(text).allMatch(id -> id >= 1);
    }
  }
}
