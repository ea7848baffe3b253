package com.securecom.loadgen.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunResultTest {
  @Test
  void fullLine_parsesEveryField() {
    RunResult r =
        RunResult.parse("CSV,bare,100,4000,3998,0.912,14.250,31.500,40.125,0,0.71,212,1.08");
    assertEquals(
        new RunResult("bare", 100, 4000, 3998, 0.912, 14.25, 31.5, 40.125, 0, 0.71, 212, 1.08), r);
  }

  @Test
  void lineWithoutTheGeneratorsCpu_asWrittenBeforeItWasMeasured_parses() {
    RunResult r = RunResult.parse("CSV,bare,100,4000,3998,0.912,14.250,31.500,40.125,0,0.71,212");
    assertEquals(0.71, r.serverCpuCores());
    assertTrue(Double.isNaN(r.generatorCpuCores()));
  }

  @Test
  void emptyCpuAndHeap_becomeNaN() {
    RunResult r = RunResult.parse("CSV,securecom,1000,0,5200,3.000,48.000,90.000,120.000,3,,");
    assertEquals(0, r.targetRate());
    assertEquals(3, r.errors());
    assertTrue(Double.isNaN(r.serverCpuCores()));
    assertTrue(Double.isNaN(r.serverHeapMiB()));
  }

  @Test
  void latencyMs_followsTheMetric() {
    RunResult r = RunResult.parse("CSV,bare,100,1000,1000,1,2,3,4,0,,");
    assertEquals(1, r.latencyMs(Metric.P50));
    assertEquals(2, r.latencyMs(Metric.P99));
    assertEquals(3, r.latencyMs(Metric.P999));
    assertEquals(4, r.latencyMs(Metric.MAX));
  }

  @Test
  void parseAll_skipsHeadersAndLogLines() {
    List<RunResult> runs =
        RunResult.parseAll(
            List.of(
                "# sweep of http://localhost:8091/",
                "kind,users,targetRate,deliveredPerSecond",
                "  12s measure sent 13000 delivered 13000 | errors {}",
                "CSV,bare,100,1000,1000,0.869,5.227,9.383,11.335,0,0.32,",
                "",
                "CSV,bare,100,2000,1999,0.901,7.000,12.000,15.000,0,0.55,"),
            "sweep.csv");
    assertEquals(2, runs.size());
    assertEquals(2000, runs.get(1).targetRate());
  }

  @Test
  void malformedResultLine_namesSourceAndLine() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RunResult.parseAll(
                    List.of("header", "CSV,bare,100,fast,1000,1,2,3,4,0,,"), "wf.csv"));
    assertTrue(e.getMessage().startsWith("wf.csv:2: "), e.getMessage());
  }

  @Test
  void truncatedResultLine_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> RunResult.parse("CSV,bare,100,1000,1000"));
    assertThrows(
        IllegalArgumentException.class, () -> RunResult.parse("bare,100,1000,1000,1,2,3,4,0,,"));
  }
}
