package com.securecom.loadgen.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesTest {
  @TempDir Path dir;

  @Test
  void runs_sortByTargetRate_withUnboundedLast() {
    Series s = new Series("x", List.of(run("bare", 0), run("bare", 4000), run("bare", 1000)));
    assertEquals(List.of(1000, 4000, 0), s.runs().stream().map(RunResult::targetRate).toList());
  }

  @Test
  void labelledFile_withOneKind_isOneSeriesWithThatLabel() throws Exception {
    Path csv =
        Files.writeString(
            dir.resolve("wf.csv"), line("bare", 1000) + "\n" + line("bare", 2000) + "\n");
    List<Series> series = Series.read("wildfly-bare=" + csv);
    assertEquals(1, series.size());
    assertEquals("wildfly-bare", series.get(0).label());
    assertEquals(2, series.get(0).runs().size());
  }

  @Test
  void unlabelledFile_withTwoKinds_isTwoSeriesNamedAfterTheFile() throws Exception {
    Path csv =
        Files.writeString(
            dir.resolve("payara.csv"), line("bare", 1000) + "\n" + line("securecom", 1000));
    List<Series> series = Series.read(csv.toString());
    assertEquals(
        List.of("payara bare", "payara securecom"), series.stream().map(Series::label).toList());
  }

  @Test
  void fileWithoutResults_isRejected() throws Exception {
    Path csv = Files.writeString(dir.resolve("empty.csv"), "nothing here\n");
    assertThrows(IllegalArgumentException.class, () -> Series.read("e=" + csv));
  }

  static RunResult run(String kind, int rate) {
    return RunResult.parse(line(kind, rate));
  }

  static String line(String kind, int rate) {
    return "CSV,"
        + kind
        + ",100,"
        + rate
        + ","
        + (rate == 0 ? 9000 : rate)
        + ",1.0,5.0,9.0,12.0,0,0.5,";
  }
}
