package com.securecom.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The codec's writer writes exactly the bytes Parsson's writer wrote before it, for any strings:
 * controls, quotes, backslashes, non-ASCII, paired and unpaired surrogates. Seeded.
 */
class FlatJsonWriterTest {
  private static final String SPECIAL = "\"\\/\b\f\n\r\t\u0000\u001f\u007f\u00e9\u2028\ud83d\ude00";

  @Test
  void randomMembers_areWrittenByteForByteAsParssonWritesThem() {
    Random random = new Random(12);
    for (int n = 0; n < 5000; n++) {
      FlatJsonWriter ours = new FlatJsonWriter();
      JsonObjectBuilder parsson = Json.createObjectBuilder();
      int members = random.nextInt(5);
      for (int m = 0; m < members; m++) {
        String name = "k" + m + randomString(random, 3);
        if (random.nextInt(4) == 0) {
          int value = random.nextInt();
          ours.add(name, value);
          parsson.add(name, value);
        } else {
          String value = randomString(random, 40);
          ours.add(name, value);
          parsson.add(name, value);
        }
      }
      byte[] expected = parssonBytes(parsson);
      assertThat(ours.toUtf8())
          .as("case %d: %s", n, HexFormat.of().formatHex(expected))
          .isEqualTo(expected);
    }
  }

  @Test
  void arraysOfObjectsAndIntegers_areWrittenAsParssonWritesThem() {
    FlatJsonWriter ours =
        new FlatJsonWriter()
            .add("id", "m1")
            .beginArray("copies")
            .beginObject()
            .add("to", "bob")
            .add("device", 1)
            .endObject()
            .beginObject()
            .add("serial", 9_007_199_254_740_991L)
            .beginArray("ids")
            .element(1)
            .element(4)
            .endArray()
            .beginArray("empty")
            .endArray()
            .endObject()
            .endArray()
            .add("after", "x");
    JsonObjectBuilder parsson =
        Json.createObjectBuilder()
            .add("id", "m1")
            .add(
                "copies",
                Json.createArrayBuilder()
                    .add(Json.createObjectBuilder().add("to", "bob").add("device", 1))
                    .add(
                        Json.createObjectBuilder()
                            .add("serial", 9_007_199_254_740_991L)
                            .add("ids", Json.createArrayBuilder().add(1).add(4))
                            .add("empty", Json.createArrayBuilder())))
            .add("after", "x");
    assertThat(new String(ours.toUtf8(), StandardCharsets.UTF_8))
        .isEqualTo(new String(parssonBytes(parsson), StandardCharsets.UTF_8));
  }

  @Test
  void everyControlCharacter_isEscapedAsParssonEscapesIt() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x80; c++) {
      all.append(c);
    }
    assertThat(new FlatJsonWriter().add("s", all.toString()).toUtf8())
        .isEqualTo(parssonBytes(Json.createObjectBuilder().add("s", all.toString())));
  }

  @Test
  void aNullValue_isRefused() {
    assertThatThrownBy(() -> new FlatJsonWriter().add("id", (String) null))
        .isInstanceOf(NullPointerException.class);
  }

  private static String randomString(Random random, int maxLength) {
    StringBuilder s = new StringBuilder();
    int length = random.nextInt(maxLength + 1);
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(4)) {
        case 0 -> s.append(SPECIAL.charAt(random.nextInt(SPECIAL.length())));
        case 1 -> s.append((char) random.nextInt(0x10000));
        default -> s.append((char) (0x20 + random.nextInt(0x5f)));
      }
    }
    return s.toString();
  }

  private static byte[] parssonBytes(JsonObjectBuilder json) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Json.createWriterFactory(java.util.Map.of()).createWriter(out).write(json.build());
    return out.toByteArray();
  }

  @Test
  void utf8_isStandard() {
    assertThat(
            new String(
                new FlatJsonWriter().add("s", "z\u00fcrich").toUtf8(), StandardCharsets.UTF_8))
        .isEqualTo("{\"s\":\"z\u00fcrich\"}");
  }
}
