package com.securecom.protocol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The table of relay error codes is the one docs/protocol.md publishes, in the same order. */
class ErrorCodesTest {
  private static final Path PROTOCOL = Path.of("docs", "protocol.md");
  private static final Pattern ROW = Pattern.compile("^\\| `([a-z_]+)` +\\|");

  @Test
  void table_isTheDocumentsList() throws Exception {
    assertThat(ErrorCodes.ALL).containsExactlyElementsOf(documentedCodes());
  }

  @Test
  void codes_areDistinct() {
    assertThat(ErrorCodes.ALL).doesNotHaveDuplicates();
  }

  /** The first column of the table that follows "The server's error codes for a `send`". */
  private static List<String> documentedCodes() throws Exception {
    List<String> lines = Files.readAllLines(PROTOCOL);
    int at = 0;
    while (!lines.get(at).contains("The server's error codes for a `send`")) {
      at++;
    }
    while (!lines.get(at).startsWith("| `code`")) {
      at++;
    }
    List<String> codes = new ArrayList<>();
    for (at += 2; at < lines.size() && lines.get(at).startsWith("|"); at++) {
      Matcher row = ROW.matcher(lines.get(at));
      assertThat(row.find()).as(lines.get(at)).isTrue();
      codes.add(row.group(1));
    }
    return codes;
  }
}
