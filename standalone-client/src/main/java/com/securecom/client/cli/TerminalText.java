package com.securecom.client.cli;

import com.securecom.protocol.DeviceNames;

/**
 * Text this client did not write (a device name the server reports) made safe to print on a
 * terminal: every code point that could move the cursor, clear the screen, change colours, start an
 * escape sequence, reverse the direction of what follows or hide itself (control and format
 * characters, line and paragraph separators, unpaired surrogates, unassigned and private-use code
 * points) is shown as {@value #REPLACEMENT}, and the text is cut after a number of code points.
 * These are the classes the server refuses in a device name ({@link DeviceNames}), so a name a
 * well-behaved server stored prints exactly as its device chose it; only a server that breaks the
 * rule is defused.
 */
final class TerminalText {
  static final char REPLACEMENT = '\uFFFD';

  private TerminalText() {}

  /**
   * {@code text} with every unsafe code point replaced, cut to {@code maxCodePoints} code points
   * (then ending with "...").
   */
  static String printable(String text, int maxCodePoints) {
    StringBuilder safe = new StringBuilder();
    int[] codePoints = text.codePoints().toArray();
    for (int i = 0; i < codePoints.length; i++) {
      if (i == maxCodePoints) {
        return safe.append("...").toString();
      }
      int c = codePoints[i];
      if (isUnsafe(c)) {
        safe.append(REPLACEMENT);
      } else {
        safe.appendCodePoint(c);
      }
    }
    return safe.toString();
  }

  /**
   * A message's text (a peer's, or one of this account's other devices') made safe to print: line
   * feeds and tabs stay, and so do the format characters emoji sequences need (zero-width joiners,
   * variation selectors), but every other control character (ESC and the rest: cursor moves,
   * colours, terminal title and clipboard sequences), line and paragraph separators, unpaired
   * surrogates and the bidirectional embedding, override and isolate characters (which could make
   * text read in another order than it is) are shown as {@value #REPLACEMENT}. Not cut.
   */
  static String message(String text) {
    StringBuilder safe = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (c == '\n' || c == '\t' || !isUnsafeInMessage(c)) {
                safe.appendCodePoint(c);
              } else {
                safe.append(REPLACEMENT);
              }
            });
    return safe.toString();
  }

  private static boolean isUnsafeInMessage(int c) {
    int type = Character.getType(c);
    return type == Character.CONTROL
        || type == Character.SURROGATE
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || (c >= 0x202A && c <= 0x202E) // embeddings and overrides
        || (c >= 0x2066 && c <= 0x2069) // isolates
        || c == 0x061C // Arabic letter mark
        || c == 0x200E
        || c == 0x200F; // left-to-right and right-to-left marks
  }

  private static boolean isUnsafe(int c) {
    return DeviceNames.isUnsafe(c);
  }
}
