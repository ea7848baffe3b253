package com.securecom.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.securecom.protocol.vectors.WireVectorsGenerator;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The decoder faces untrusted input: whatever the bytes, it returns a message or throws {@link
 * MalformedMessageException}, never anything else, and every message it returns survives a round
 * trip. Seeded, so a failure names an input that reproduces it.
 */
class WireCodecFuzzTest {
  private static final WireCodec CODEC = new WireCodec();
  private static final int CASES = 4000;
  private static final List<byte[]> SEEDS =
      WireVectorsGenerator.canonicalMessages().stream().map(CODEC::encode).toList();

  /** Fragments that tend to reach the corners of a JSON parser. */
  private static final List<String> FRAGMENTS =
      List.of(
          "{",
          "}",
          "[",
          "]",
          "\"",
          ":",
          ",",
          "\\",
          "\\u",
          "\\ud800",
          "\\u0000",
          "null",
          "true",
          "false",
          "-",
          "0",
          "1e9999999999",
          "-0.0e-99999999999",
          "1.5",
          "123456789012345678901234567890",
          "\"type\"",
          "\"id\"",
          "\"accepted\"",
          "\"send\"",
          "\"error\"",
          "\"deliver\"",
          " ",
          "\n",
          "\u00e9",
          "\ufeff",
          "\"type\":\"ack\"",
          "{\"a\":",
          "[[[[[[[[",
          "]]]]]]]]",
          "\u0000");

  private static WireMessage decodeOrNull(byte[] input) {
    try {
      return CODEC.decode(input);
    } catch (MalformedMessageException expected) {
      return null;
    } catch (Throwable unexpected) {
      throw new AssertionError(
          "decode threw " + unexpected + " for input " + HexFormat.of().formatHex(input),
          unexpected);
    }
  }

  /**
   * Every decoded message survives encode-then-decode, except one whose strings hold an unpaired
   * surrogate: JSON escapes such as {@code "\ud800"} decode to a Java string that UTF-8 cannot
   * carry, and the encoder writes '?' for it. (Reported as a question for the protocol; no
   * well-behaved peer sends one.)
   */
  private static void assertDecodesSafely(byte[] input) {
    WireMessage message = decodeOrNull(input);
    if (message != null && everyStringIsUtf8(WireVectorsGenerator.fields(message))) {
      try {
        assertThat(CODEC.decode(CODEC.encode(message))).isEqualTo(message);
      } catch (MalformedMessageException e) {
        fail(
            "decoded %s from %s but could not decode its encoding",
            message, HexFormat.of().formatHex(input));
      }
    }
  }

  private static boolean everyStringIsUtf8(JsonValue value) {
    return switch (value.getValueType()) {
      case STRING -> {
        String s = ((JsonString) value).getString();
        yield s.equals(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
      }
      case OBJECT -> value.asJsonObject().values().stream().allMatch(v -> everyStringIsUtf8(v));
      case ARRAY -> value.asJsonArray().stream().allMatch(v -> everyStringIsUtf8(v));
      default -> true;
    };
  }

  @Test
  void randomBytes_decodeToAMessageOrMalformed() {
    Random random = new Random(20250101);
    for (int i = 0; i < CASES; i++) {
      byte[] input = new byte[random.nextInt(96)];
      random.nextBytes(input);
      assertDecodesSafely(input);
    }
  }

  @Test
  void randomFragments_decodeToAMessageOrMalformed() {
    Random random = new Random(42);
    for (int i = 0; i < CASES; i++) {
      StringBuilder text = new StringBuilder();
      for (int n = random.nextInt(24); n > 0; n--) {
        text.append(FRAGMENTS.get(random.nextInt(FRAGMENTS.size())));
      }
      assertDecodesSafely(text.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void mutatedValidMessages_decodeToAMessageOrMalformed() {
    Random random = new Random(1337);
    int decoded = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] input = SEEDS.get(random.nextInt(SEEDS.size()));
      for (int n = 1 + random.nextInt(3); n > 0; n--) {
        input = mutate(input, random);
      }
      if (decodeOrNull(input) != null) {
        decoded++;
      }
      assertDecodesSafely(input);
    }
    // The mutations are small enough that some inputs stay valid, so both outcomes are exercised.
    assertThat(decoded).isBetween(1, CASES - 1);
  }

  @Test
  void everySingleByteChangeOfValidMessages_decodesToAMessageOrMalformed() {
    for (byte[] seed : SEEDS) {
      for (int position = 0; position < seed.length; position++) {
        for (int value : new int[] {0x00, 0x22, 0x5c, 0x7b, 0x7d, 0x80, 0xff}) {
          byte[] input = seed.clone();
          input[position] = (byte) value;
          assertDecodesSafely(input);
        }
      }
    }
  }

  private static byte[] mutate(byte[] input, Random random) {
    int at = input.length == 0 ? 0 : random.nextInt(input.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (random.nextInt(6)) {
      case 0 -> { // flip one bit
        byte[] copy = input.clone();
        if (copy.length > 0) {
          copy[at] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
      }
      case 1 -> { // delete a run
        int end = Math.min(input.length, at + 1 + random.nextInt(8));
        out.write(input, 0, at);
        out.write(input, end, input.length - end);
      }
      case 2 -> { // insert random bytes
        byte[] insert = new byte[1 + random.nextInt(4)];
        random.nextBytes(insert);
        out.write(input, 0, at);
        out.writeBytes(insert);
        out.write(input, at, input.length - at);
      }
      case 3 -> { // insert a JSON fragment
        out.write(input, 0, at);
        out.writeBytes(
            FRAGMENTS.get(random.nextInt(FRAGMENTS.size())).getBytes(StandardCharsets.UTF_8));
        out.write(input, at, input.length - at);
      }
      case 4 -> { // truncate
        return Arrays.copyOf(input, at);
      }
      default -> { // duplicate a run
        int end = Math.min(input.length, at + 1 + random.nextInt(16));
        out.write(input, 0, end);
        out.write(input, at, input.length - at);
      }
    }
    return out.toByteArray();
  }
}
