package com.securecom.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.wire.ErrorCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The browser's error texts against the server's codes, read from the JavaScript the WAR serves:
 * every relay error code ({@link ErrorCodes}) has a sentence in js/app/messenger.js's {@code
 * SEND_ERRORS} and no other code does; every REST problem code the browser tests for is one that
 * docs/protocol.md publishes (a code the page does not name shows the server's {@code detail}).
 */
class ErrorTextsTest {
  private static final Path JS = Path.of("src", "main", "webapp", "js");
  private static final Path PROTOCOL = Path.of("docs", "protocol.md");

  @Test
  void sendErrors_haveATextForEveryRelayCode_andForNoOther() throws IOException {
    Map<String, String> texts = sendErrors();

    assertThat(texts.keySet()).containsExactlyInAnyOrderElementsOf(ErrorCodes.ALL);
    texts.forEach((code, text) -> assertThat(text).as(code).isNotBlank());
  }

  @Test
  void groupSendErrors_areRelayCodes_withTheirOwnText() throws IOException {
    Map<String, String> texts =
        sendErrors(read(JS.resolve("app/messenger.js")), "GROUP_SEND_ERRORS");

    assertThat(texts).isNotEmpty();
    assertThat(ErrorCodes.ALL).containsAll(texts.keySet());
    texts.forEach((code, text) -> assertThat(text).as(code).isNotBlank());
  }

  @Test
  void problemCodesTheBrowserNames_areDocumentedRestCodes() throws IOException {
    List<String> named = new ArrayList<>();
    Matcher cases = Pattern.compile("case '([a-z0-9_]+)':").matcher(read(JS.resolve("app/api.js")));
    while (cases.find()) {
      named.add(cases.group(1));
    }
    assertThat(named).as("the codes api.js describes").isNotEmpty();
    try (Stream<Path> files = Files.walk(JS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".js")).toList()) {
        Matcher tests = Pattern.compile("\\.code === '([a-z0-9_]+)'").matcher(read(file));
        while (tests.find()) {
          named.add(tests.group(1));
        }
      }
    }

    assertThat(restProblemCodes()).containsAll(named);
  }

  @Test
  void sendErrorsParser_readsEveryEntry_includingWrappedOnes() {
    String js =
        "const A = 1;\n"
            + "const SEND_ERRORS = {\n"
            + "  one: 'first',\n"
            + "  two_words:\n"
            + "    'wrapped by Prettier',\n"
            + "  it_s: \"it's double-quoted\",\n"
            + "};\n"
            + "const B = { three: 'not in the map' };\n";

    assertThat(sendErrors(js))
        .containsExactly(
            Map.entry("one", "first"),
            Map.entry("two_words", "wrapped by Prettier"),
            Map.entry("it_s", "it's double-quoted"));
  }

  private static Map<String, String> sendErrors() throws IOException {
    return sendErrors(read(JS.resolve("app/messenger.js")));
  }

  /**
   * The entries of the object literal {@code const SEND_ERRORS = {...};} as Prettier writes it: one
   * {@code key: 'text',} an entry, the text on the next line where it is long. Anything else in the
   * literal fails the test rather than being skipped.
   */
  static Map<String, String> sendErrors(String js) {
    return sendErrors(js, "SEND_ERRORS");
  }

  /** The same for the object literal {@code const NAME = {...};}. */
  static Map<String, String> sendErrors(String js, String name) {
    Matcher block = Pattern.compile("(?s)const " + name + " = \\{\n(.*?)\n};").matcher(js);
    assertThat(block.find()).as("const " + name + " = {...}; in messenger.js").isTrue();
    Matcher entry =
        Pattern.compile("\\G\\s*([a-z0-9_]+):\\s*(?:'([^'\\\\]*)'|\"([^\"\\\\]*)\"),")
            .matcher(block.group(1));
    Map<String, String> texts = new LinkedHashMap<>();
    int end = 0;
    while (entry.find()) {
      String text = entry.group(2) != null ? entry.group(2) : entry.group(3);
      assertThat(texts.put(entry.group(1), text)).as("repeated " + entry.group(1)).isNull();
      end = entry.end();
    }
    assertThat(block.group(1).substring(end)).as("an entry the test cannot read").isBlank();
    return texts;
  }

  /** The first column of docs/protocol.md's table of REST problem codes (`code` | Status | ...). */
  private static List<String> restProblemCodes() throws IOException {
    List<String> lines = Files.readAllLines(PROTOCOL);
    int at = 0;
    while (!lines.get(at).startsWith("| `code` | Status |")) {
      at++;
    }
    List<String> codes = new ArrayList<>();
    Pattern row = Pattern.compile("^\\| `([a-z0-9_]+)` \\| \\d{3} \\|");
    for (at += 2; at < lines.size() && lines.get(at).startsWith("|"); at++) {
      Matcher m = row.matcher(lines.get(at));
      assertThat(m.find()).as(lines.get(at)).isTrue();
      codes.add(m.group(1));
    }
    return codes;
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file);
  }
}
