package com.securecom.client.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A two-column walkthrough as the README prints it: the first {@code bash} block after a heading,
 * lines before the {@code # terminal 1 ... # terminal 2} header go to both terminals, and each line
 * after it is split at the column where {@code # terminal 2} starts. Comment-only lines are
 * skipped.
 */
record ReadmeWalkthrough(List<String> common, List<Row> rows) {
  private static final String RIGHT_HEADER = "# terminal 2";

  /** One line of the table: what each terminal gets (either may be empty). */
  record Row(String left, String right) {}

  static ReadmeWalkthrough read(Path readme, String heading) throws IOException {
    List<String> lines = Files.readAllLines(readme);
    int at = lines.indexOf(heading);
    if (at < 0) {
      throw new AssertionError("README has no heading " + heading);
    }
    while (!lines.get(at).equals("```bash")) {
      at++;
    }
    List<String> common = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    int column = -1;
    for (String line : lines.subList(at + 1, lines.size())) {
      if (line.equals("```")) {
        break;
      }
      if (column < 0 && line.contains(RIGHT_HEADER)) {
        column = line.indexOf(RIGHT_HEADER);
      } else if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      } else if (column < 0) {
        common.add(line.strip());
      } else {
        String left = line.substring(0, Math.min(column, line.length())).strip();
        String right = line.length() > column ? line.substring(column).strip() : "";
        rows.add(new Row(left, right));
      }
    }
    return new ReadmeWalkthrough(common, rows);
  }
}
