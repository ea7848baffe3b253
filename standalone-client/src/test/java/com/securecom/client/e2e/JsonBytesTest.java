package com.securecom.client.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBytesTest {
  @Test
  void writesCompactUtf8_withoutEscapingWhatNeedsNoEscape() {
    JsonObject json =
        JsonBytes.JSON
            .createObjectBuilder()
            .add("body", "héllo \uD83D\uDE00 \"q\"")
            .add("n", 7)
            .build();

    assertArrayEquals(
        "{\"body\":\"héllo \uD83D\uDE00 \\\"q\\\"\",\"n\":7}".getBytes(StandardCharsets.UTF_8),
        JsonBytes.write(json));
  }

  @Test
  void aWriteAfterALargerOne_holdsNothingOfIt() {
    // the shared factory hands the same buffers from write to write
    JsonBytes.write(JsonBytes.JSON.createObjectBuilder().add("big", "x".repeat(20_000)).build());

    assertArrayEquals(
        "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
        JsonBytes.write(JsonBytes.JSON.createObjectBuilder().add("a", 1).build()));
  }

  @Test
  void readsBackWhatItWrote() {
    JsonObject json =
        JsonBytes.JSON
            .createObjectBuilder()
            .add("body", "ünïcödé")
            .add("big", "y".repeat(9_000))
            .build();

    try (JsonReader reader = JsonBytes.reader(JsonBytes.write(json))) {
      assertEquals(json, reader.readObject());
    }
  }
}
