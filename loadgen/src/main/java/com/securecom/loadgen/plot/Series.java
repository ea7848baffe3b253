package com.securecom.loadgen.plot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One line of the plot: the runs of one server (or kind), in order of increasing target rate. */
public record Series(String label, List<RunResult> runs) {
  /** Target rate 0 ("as fast as the windows allow") is the heaviest load: it sorts last. */
  private static final Comparator<RunResult> BY_LOAD =
      Comparator.comparingLong(r -> r.targetRate() == 0 ? Long.MAX_VALUE : r.targetRate());

  public Series {
    runs = runs.stream().sorted(BY_LOAD).toList();
  }

  /**
   * Reads {@code label=path} (or just {@code path}, labelled by its file name): one series per kind
   * of run in the file, labelled {@code label} when the file holds one kind and {@code label kind}
   * when it holds several.
   */
  public static List<Series> read(String spec) throws IOException {
    int eq = spec.indexOf('=');
    Path path = Path.of(eq < 0 ? spec : spec.substring(eq + 1));
    String label =
        eq < 0 ? path.getFileName().toString().replaceFirst("\\.csv$", "") : spec.substring(0, eq);
    List<RunResult> runs = RunResult.parseAll(Files.readAllLines(path), path.toString());
    if (runs.isEmpty()) {
      throw new IllegalArgumentException(path + ": no CSV result lines");
    }
    return byKind(label, runs);
  }

  static List<Series> byKind(String label, List<RunResult> runs) {
    Map<String, List<RunResult>> kinds = new LinkedHashMap<>();
    runs.forEach(r -> kinds.computeIfAbsent(r.kind(), k -> new ArrayList<>()).add(r));
    List<Series> series = new ArrayList<>();
    kinds.forEach(
        (kind, list) ->
            series.add(new Series(kinds.size() == 1 ? label : label + " " + kind, list)));
    return series;
  }
}
