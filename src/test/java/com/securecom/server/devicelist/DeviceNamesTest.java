package com.securecom.server.devicelist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.server.web.InvalidRequestException;
import com.securecom.server.web.JsonFields;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

/**
 * A device's name is shown to the account's own devices: nothing in it may hide or fake text (line
 * breaks, bidirectional overrides), and it has a size.
 */
class DeviceNamesTest {
  @Test
  void ordinaryNames_inAnyScript_areAccepted() {
    for (String name :
        new String[] {"laptop", "Alice's phone", "Büro-PC", "手机", "a", "x".repeat(64)}) {
      assertThat(DeviceNames.isValid(name)).as(name).isTrue();
    }
    assertThat(DeviceNames.isValid("🙂".repeat(64))).as("64 code points, 128 chars").isTrue();
  }

  @Test
  void emptyBlankLongOrDisguisingNames_areRefused() {
    String[] refused = {
      "",
      "   ",
      "x".repeat(65),
      "two\nlines",
      "tab\there",
      "evil\u202Egnp.exe", // right-to-left override
      "zero\u200Bwidth", // a format character
      "nul\u0000",
      "private\uE000use",
      "line\u2028separator",
      "lone \uD800 surrogate"
    };
    for (String name : refused) {
      assertThat(DeviceNames.isValid(name)).as(name).isFalse();
    }
  }

  @Test
  void anAbsentName_isNone_andABadOne_isAnInvalidRequestNamingTheField() {
    assertThat(DeviceNames.optional(JsonFields.of(Json.createObjectBuilder().build()), "name"))
        .isNull();
    JsonFields bad = JsonFields.of(Json.createObjectBuilder().add("name", "a\u202Eb").build());
    assertThatThrownBy(() -> DeviceNames.optional(bad, "name"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("name");
    JsonFields notAString = JsonFields.of(Json.createObjectBuilder().add("name", 7).build());
    assertThatThrownBy(() -> DeviceNames.optional(notAString, "name"))
        .isInstanceOf(InvalidRequestException.class);
  }
}
