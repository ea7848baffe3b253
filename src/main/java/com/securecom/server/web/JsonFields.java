package com.securecom.server.web;

import com.securecom.protocol.crypto.Bytes;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Typed, strict access to the members of one JSON object of a request body, naming each field by
 * its path from the body's root ({@code signedPreKey.publicKey}, {@code oneTimePreKeys[3].keyId})
 * in every {@link InvalidRequestException}. No coercion: a string field must be a JSON string, a
 * key id a JSON integer written without fraction, exponent or minus sign; bytes must be canonical
 * padded base64.
 */
public final class JsonFields {
  /** The largest key id: 2^53 - 1, the largest integer every JSON implementation holds exactly. */
  public static final long MAX_KEY_ID = (1L << 53) - 1;

  private static final Pattern KEY_ID = Pattern.compile("0|[1-9][0-9]{0,15}");

  private static final Pattern DEVICE_ID = Pattern.compile("[1-9][0-9]{0,8}");

  private final JsonObject json;
  private final String path;

  private JsonFields(JsonObject json, String path) {
    this.json = json;
    this.path = path;
  }

  /** The fields of a request body's root object. */
  public static JsonFields of(JsonObject body) {
    return new JsonFields(body, "");
  }

  /** The path of {@code field} from the body's root. */
  public String name(String field) {
    return path + field;
  }

  public boolean has(String field) {
    return json.containsKey(field);
  }

  private JsonValue required(String field) {
    JsonValue value = json.get(field);
    if (value == null) {
      throw new InvalidRequestException(name(field), name(field) + " is required");
    }
    return value;
  }

  /** A required JSON string. */
  public String string(String field) {
    if (!(required(field) instanceof JsonString s)) {
      throw new InvalidRequestException(name(field), name(field) + " must be a JSON string");
    }
    return s.getString();
  }

  /** A required JSON string matching {@code pattern}; {@code rule} completes "NAME must be ...". */
  public String string(String field, Pattern pattern, String rule) {
    String s = string(field);
    if (!pattern.matcher(s).matches()) {
      throw new InvalidRequestException(name(field), name(field) + " must be " + rule);
    }
    return s;
  }

  /** A required JSON object. */
  public JsonFields object(String field) {
    if (!(required(field) instanceof JsonObject o)) {
      throw new InvalidRequestException(name(field), name(field) + " must be a JSON object");
    }
    return new JsonFields(o, name(field) + ".");
  }

  /**
   * The objects of a JSON array of {@code min}..{@code max} objects; an absent optional array is
   * empty.
   */
  public List<JsonFields> objects(String field, boolean optional, int min, int max) {
    if (optional && !has(field)) {
      return List.of();
    }
    if (!(required(field) instanceof JsonArray array)) {
      throw new InvalidRequestException(name(field), name(field) + " must be a JSON array");
    }
    if (array.size() < min || array.size() > max) {
      throw new InvalidRequestException(
          name(field), name(field) + " must hold " + min + "-" + max + " entries");
    }
    List<JsonFields> objects = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String element = name(field) + "[" + i + "]";
      if (!(array.get(i) instanceof JsonObject o)) {
        throw new InvalidRequestException(element, element + " must be a JSON object");
      }
      objects.add(new JsonFields(o, element + "."));
    }
    return objects;
  }

  /**
   * A key id: a JSON number written as a plain decimal integer ({@code 0} or no leading zero, no
   * sign, fraction or exponent) in 0..2^53-1.
   */
  public long keyId(String field) {
    JsonValue value = required(field);
    String text = value.getValueType() == JsonValue.ValueType.NUMBER ? value.toString() : null;
    if (text == null || !KEY_ID.matcher(text).matches() || Long.parseLong(text) > MAX_KEY_ID) {
      throw new InvalidRequestException(
          name(field),
          name(field)
              + " must be a JSON integer from 0 to 9007199254740991 (2^53-1) without sign, fraction or exponent");
    }
    return Long.parseLong(text);
  }

  /**
   * A device id: a JSON number written as a plain decimal integer without leading zero, sign,
   * fraction or exponent, from 1 to 999,999,999 (1 to 9 digits).
   */
  public int deviceId(String field) {
    JsonValue value = required(field);
    String text = value.getValueType() == JsonValue.ValueType.NUMBER ? value.toString() : null;
    if (text == null || !DEVICE_ID.matcher(text).matches()) {
      throw new InvalidRequestException(
          name(field),
          name(field)
              + " must be a JSON integer from 1 to 999999999 without sign, fraction or exponent");
    }
    return Integer.parseInt(text);
  }

  /**
   * {@code min} to {@code max} bytes as canonical standard base64: padded, no whitespace, unused
   * bits zero. The text's length is checked before it is decoded.
   */
  public byte[] base64(String field, int min, int max) {
    String text = string(field);
    byte[] bytes = text.length() > 4 * ((max + 2) / 3) ? null : Bytes.fromCanonicalBase64(text);
    if (bytes == null || bytes.length < min || bytes.length > max) {
      throw new InvalidRequestException(
          name(field),
          name(field)
              + " must be canonical standard base64 (padded) of "
              + min
              + " to "
              + max
              + " bytes");
    }
    return bytes;
  }

  /**
   * Exactly {@code length} bytes as canonical standard base64: padded, no whitespace, unused bits
   * zero.
   */
  public byte[] base64(String field, int length) {
    String text = string(field);
    byte[] bytes = Bytes.fromCanonicalBase64(text);
    if (bytes == null || bytes.length != length) {
      throw new InvalidRequestException(
          name(field),
          name(field)
              + " must be canonical standard base64 (padded) of exactly "
              + length
              + " bytes");
    }
    return bytes;
  }
}
