package com.securecom.loadgen.plot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code java -cp loadgen/target/loadgen.jar com.securecom.loadgen.plot.LatencyPlot --out
 * latency-vs-load.png payara-bare=bare.csv wildfly-bare=wf.csv securecom=sc.csv}: reads the
 * generator's {@code CSV,...} result lines (as {@code loadgen/sweep.sh} collects them) and writes a
 * PNG of latency against delivered load, one line per file (or per kind of run within a file).
 */
@Command(
    name = "latency-plot",
    mixinStandardHelpOptions = true,
    description =
        "Plots p99 latency (log scale) against delivered msg/s from load generator CSV result lines.")
public final class LatencyPlot implements Callable<Integer> {
  @Parameters(
      arity = "1..*",
      paramLabel = "LABEL=FILE",
      description =
          "CSV files, each optionally labelled (label=file.csv); unlabelled ones take their file name.")
  List<String> inputs;

  @Option(names = "--out", required = true, description = "PNG file to write.")
  Path out;

  @Option(
      names = "--title",
      description = "Title (default: '<metric> latency versus delivered load').")
  String title;

  @Option(
      names = "--metric",
      defaultValue = "P99",
      description = "Latency shown: ${COMPLETION-CANDIDATES}.")
  Metric metric;

  @Option(names = "--width", defaultValue = "1000", description = "Pixels.")
  int width;

  @Option(names = "--height", defaultValue = "640", description = "Pixels.")
  int height;

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(new CommandLine(new LatencyPlot()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    List<Series> series = new ArrayList<>();
    for (String input : inputs) {
      try {
        series.addAll(Series.read(input));
      } catch (IllegalArgumentException | java.nio.file.NoSuchFileException e) {
        System.err.println(
            "latency-plot: "
                + (e instanceof java.nio.file.NoSuchFileException ? "no such file: " : "")
                + e.getMessage());
        return 2;
      }
    }
    XYChart chart =
        LatencyChart.of(
            series,
            new LatencyChart.Style(
                width,
                height,
                title != null ? title : metric.label() + " latency versus delivered load",
                metric));
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (OutputStream png = Files.newOutputStream(out)) {
      BitmapEncoder.saveBitmap(chart, png, BitmapEncoder.BitmapFormat.PNG);
    }
    System.out.printf(
        "wrote %s: %d series, %d runs%n",
        out, series.size(), series.stream().mapToInt(s -> s.runs().size()).sum());
    return 0;
  }
}
