package com.securecom.loadgen.plot;

import java.util.ArrayList;
import java.util.List;

/**
 * One generator run, as its machine-readable last line says: {@code
 * CSV,kind,users,targetRate,deliveredPerSecond,
 * p50Ms,p99Ms,p999Ms,maxMs,errors,serverCpuCores,serverHeapMiB,generatorCpuCores}. Target rate 0
 * means "as fast as the windows allow"; the CPU and heap fields may be empty (then {@code NaN}),
 * and lines written before the generator measured itself lack the last field.
 */
public record RunResult(
    String kind,
    int users,
    int targetRate,
    double delivered,
    double p50Ms,
    double p99Ms,
    double p999Ms,
    double maxMs,
    long errors,
    double serverCpuCores,
    double serverHeapMiB,
    double generatorCpuCores) {
  private static final String PREFIX = "CSV,";
  private static final int FIELDS = 13;

  /**
   * Parses one {@code CSV,...} line; throws {@link IllegalArgumentException} saying what is wrong.
   */
  public static RunResult parse(String line) {
    if (!line.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a result line (no CSV, prefix): " + line);
    }
    String[] f = line.strip().split(",", -1);
    if (f.length < FIELDS - 3) {
      throw new IllegalArgumentException(
          "expected " + FIELDS + " fields, found " + f.length + ": " + line);
    }
    try {
      return new RunResult(
          f[1],
          Integer.parseInt(f[2]),
          Integer.parseInt(f[3]),
          Double.parseDouble(f[4]),
          Double.parseDouble(f[5]),
          Double.parseDouble(f[6]),
          Double.parseDouble(f[7]),
          Double.parseDouble(f[8]),
          Long.parseLong(f[9]),
          optional(f, 10),
          optional(f, 11),
          optional(f, 12));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad number in result line: " + line, e);
    }
  }

  /**
   * The result lines among {@code lines} (a sweep's CSV file, or whole generator logs): other
   * lines, a header included, are skipped; a malformed result line fails with its source and line
   * number.
   */
  public static List<RunResult> parseAll(List<String> lines, String source) {
    List<RunResult> runs = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.startsWith(PREFIX)) {
        try {
          runs.add(parse(line));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(source + ":" + (i + 1) + ": " + e.getMessage(), e);
        }
      }
    }
    return runs;
  }

  /** The latency that {@code metric} names, in milliseconds. */
  public double latencyMs(Metric metric) {
    return switch (metric) {
      case P50 -> p50Ms;
      case P99 -> p99Ms;
      case P999 -> p999Ms;
      case MAX -> maxMs;
    };
  }

  private static double optional(String[] f, int i) {
    return i < f.length && !f[i].isBlank() ? Double.parseDouble(f[i]) : Double.NaN;
  }
}
