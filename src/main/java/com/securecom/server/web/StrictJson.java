package com.securecom.server.web;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads a REST request body as strict JSON (RFC 8259), before any field is looked at: at most
 * {@link #MAX_BYTES} bytes of well-formed UTF-8 without a byte-order mark, exactly one JSON object
 * and nothing after it, no repeated member names, no unpaired surrogates, nesting at most {@link
 * #MAX_DEPTH} deep. Numbers keep the text they were written with ({@link Number#lexeme()}), so that
 * {@code 1e2}, {@code -0} and {@code 1.0} can be told from integers. Anything else is an {@link
 * InvalidJsonException} (400 {@code invalid_json}).
 */
public final class StrictJson {
  /** The largest body read: 1,000 one-time prekeys take about 80 KB. */
  public static final int MAX_BYTES = 256 * 1024;

  static final int MAX_DEPTH = 16;

  private StrictJson() {}

  /**
   * Reads at most {@link #MAX_BYTES} + 1 bytes from {@code body}; a longer body is a {@link
   * BodyTooLargeException}.
   */
  public static JsonObject read(InputStream body) {
    byte[] bytes;
    try {
      bytes = body == null ? new byte[0] : body.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw new InvalidJsonException("the request body could not be read");
    }
    if (bytes.length > MAX_BYTES) {
      throw new BodyTooLargeException(MAX_BYTES);
    }
    return parse(bytes);
  }

  public static JsonObject parse(byte[] utf8) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(utf8))
              .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidJsonException("the request body is not valid UTF-8");
    }
    if (text.startsWith("\uFEFF")) {
      throw new InvalidJsonException("the request body must not start with a byte-order mark");
    }
    try (JsonParser parser = Json.createParser(new StringReader(text))) {
      if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
        throw new InvalidJsonException("the request body must be a JSON object");
      }
      JsonObject object = readObject(parser, 1);
      if (parser.hasNext()) {
        throw new InvalidJsonException("the request body must hold exactly one JSON value");
      }
      return object;
    } catch (JsonParsingException | IllegalStateException | java.util.NoSuchElementException e) {
      throw new InvalidJsonException("the request body is not valid JSON");
    } catch (jakarta.json.JsonException e) {
      throw new InvalidJsonException("the request body is not valid JSON");
    }
  }

  private static JsonObject readObject(JsonParser parser, int depth) {
    depth(depth);
    JsonObjectBuilder object = Json.createObjectBuilder();
    Set<String> names = new HashSet<>();
    while (true) {
      JsonParser.Event event = parser.next();
      if (event == JsonParser.Event.END_OBJECT) {
        return object.build();
      }
      String name = checked(parser.getString());
      if (!names.add(name)) {
        throw new InvalidJsonException("the member name \"" + shortened(name) + "\" repeats");
      }
      object.add(name, value(parser, parser.next(), depth));
    }
  }

  private static JsonValue value(JsonParser parser, JsonParser.Event event, int depth) {
    return switch (event) {
      case START_OBJECT -> readObject(parser, depth + 1);
      case START_ARRAY -> readArray(parser, depth + 1);
      case VALUE_STRING -> Json.createValue(checked(parser.getString()));
      case VALUE_NUMBER -> new Number(parser.getString());
      case VALUE_TRUE -> JsonValue.TRUE;
      case VALUE_FALSE -> JsonValue.FALSE;
      case VALUE_NULL -> JsonValue.NULL;
      default -> throw new InvalidJsonException("the request body is not valid JSON");
    };
  }

  private static JsonValue readArray(JsonParser parser, int depth) {
    depth(depth);
    JsonArrayBuilder array = Json.createArrayBuilder();
    while (true) {
      JsonParser.Event event = parser.next();
      if (event == JsonParser.Event.END_ARRAY) {
        return array.build();
      }
      array.add(value(parser, event, depth));
    }
  }

  private static void depth(int depth) {
    if (depth > MAX_DEPTH) {
      throw new InvalidJsonException("the request body nests deeper than " + MAX_DEPTH + " levels");
    }
  }

  /** Refuses a string holding an unpaired surrogate (a {@code \\u} escape of half a character). */
  private static String checked(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new InvalidJsonException("the request body holds an unpaired surrogate");
      }
    }
    return s;
  }

  private static String shortened(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  /**
   * A JSON number as written. Its value is computed only when asked for, so that a huge exponent
   * costs nothing unless a field wants a number.
   */
  public record Number(String lexeme) implements JsonNumber {
    @Override
    public boolean isIntegral() {
      return lexeme.matches("-?(0|[1-9][0-9]*)");
    }

    @Override
    public int intValue() {
      return bigDecimalValue().intValue();
    }

    @Override
    public int intValueExact() {
      return bigDecimalValue().intValueExact();
    }

    @Override
    public long longValue() {
      return bigDecimalValue().longValue();
    }

    @Override
    public long longValueExact() {
      return bigDecimalValue().longValueExact();
    }

    @Override
    public BigInteger bigIntegerValue() {
      return bigDecimalValue().toBigInteger();
    }

    @Override
    public BigInteger bigIntegerValueExact() {
      return bigDecimalValue().toBigIntegerExact();
    }

    @Override
    public double doubleValue() {
      return bigDecimalValue().doubleValue();
    }

    @Override
    public BigDecimal bigDecimalValue() {
      if (lexeme.length() > 40) {
        throw new ArithmeticException("number too long");
      }
      return new BigDecimal(lexeme);
    }

    @Override
    public ValueType getValueType() {
      return ValueType.NUMBER;
    }

    @Override
    public String toString() {
      return lexeme;
    }
  }
}
