package com.securecom.protocol.wire;

import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every number of one JSON text as it is written, by its path ({@code ["copies", 0, "device"]}):
 * the object model cannot tell {@code 2} from {@code 2e0}, and the protocol refuses the second.
 * Read at the first question (one streaming pass over the text, which the reader already found
 * well-formed), and only if a message has a number to check. Of repeated member names the last
 * counts, as in the object model. Not thread-safe: one per decoded message. Also the end-to-end
 * payload's decoder uses it (its device members follow the device id rule), and so does a group
 * state's ({@code revision}).
 */
public final class WrittenNumbers {
  private static final JsonProvider JSON = JsonProvider.provider();

  private final String text;
  private Map<List<Object>, String> numbers;

  /**
   * An integer as the protocol writes one: {@code 0} or digits without leading zero (16 at most).
   */
  private static final Pattern SAFE_INTEGER = Pattern.compile("0|[1-9][0-9]{0,15}");

  /** 2^53 - 1: the highest integer every JSON reader holds exactly (JavaScript's too). */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  /**
   * The integer {@code written} (a number as {@link #at} returns it), if it is written as the
   * protocol writes integers such as {@code serial} and a group's {@code revision}: {@code 0} or
   * decimal digits without sign, leading zero, fraction or exponent, at most 2^53 - 1; else -1
   * (also for null).
   */
  public static long safeInteger(String written) {
    if (written == null || !SAFE_INTEGER.matcher(written).matches()) {
      return -1;
    }
    long value = Long.parseLong(written);
    return value <= MAX_SAFE_INTEGER ? value : -1;
  }

  /** The numbers of {@code text}, a JSON text a reader already found well-formed. */
  public WrittenNumbers(String text) {
    this.text = text;
  }

  /** The number at {@code path} (member names and array indexes) as written, or null. */
  public String at(Object... path) {
    if (numbers == null) {
      numbers = scan(text);
    }
    return numbers.get(List.of(path));
  }

  /** One open object (its current member name) or array (its current index). */
  private static final class Level {
    Object at;
    final boolean array;

    Level(boolean array) {
      this.array = array;
      this.at = array ? -1 : null;
    }
  }

  private static Map<List<Object>, String> scan(String text) {
    Map<List<Object>, String> numbers = new HashMap<>();
    Deque<Level> open = new ArrayDeque<>();
    try (JsonParser parser = JSON.createParser(new StringReader(text))) {
      do {
        JsonParser.Event event = parser.next();
        Level parent = open.peekLast();
        if (parent != null && parent.array && event != JsonParser.Event.END_ARRAY) {
          parent.at = (Integer) parent.at + 1;
        }
        switch (event) {
          case START_OBJECT -> open.addLast(new Level(false));
          case START_ARRAY -> open.addLast(new Level(true));
          case END_OBJECT, END_ARRAY -> open.removeLast();
          case KEY_NAME -> parent.at = parser.getString();
          case VALUE_NUMBER -> numbers.put(path(open), parser.getString());
          default -> {}
        }
      } while (!open.isEmpty()); // what follows the object is the reader's business
    } catch (RuntimeException unreadable) {
      return Map.of(); // the reader read it; a number not found here is refused
    }
    return numbers;
  }

  private static List<Object> path(Deque<Level> open) {
    List<Object> path = new ArrayList<>(open.size());
    for (Level level : open) {
      path.add(level.at);
    }
    return List.copyOf(path);
  }
}
