package com.securecom.loadgen.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Latency (log scale) against delivered messages per second, as an XChart chart: one line per
 * series through its runs in order of target rate, so that past saturation a line bends back (less
 * delivered, more latency) instead of hiding it. Runs that reported errors get a square of the
 * series' colour over their point.
 */
public final class LatencyChart {
  /**
   * Okabe-Ito colours (readable with colour blindness), then two more; series take them in order.
   */
  private static final Color[] PALETTE = {
    new Color(0x0072B2),
    new Color(0xD55E00),
    new Color(0x009E73),
    new Color(0xCC79A7),
    new Color(0xE69F00),
    new Color(0x56B4E9),
    new Color(0x8C564B),
    new Color(0x6A3D9A)
  };

  /** Latencies below this are drawn at it: a log axis has no zero. */
  private static final double FLOOR_MS = 0.01;

  private static final Color INK = new Color(0x333333);

  /** What the picture says around its data. */
  public record Style(int width, int height, String title, Metric metric) {}

  private LatencyChart() {}

  /** The colour of the series at {@code index}. */
  public static Color colour(int index) {
    return PALETTE[index % PALETTE.length];
  }

  /**
   * The chart of {@code series}; throws {@link IllegalArgumentException} when there is no run to
   * show.
   */
  public static XYChart of(List<Series> series, Style style) {
    if (series.isEmpty() || series.stream().allMatch(s -> s.runs().isEmpty())) {
      throw new IllegalArgumentException("nothing to plot");
    }
    List<RunResult> all = series.stream().flatMap(s -> s.runs().stream()).toList();
    XYChart chart =
        new XYChartBuilder()
            .width(style.width())
            .height(style.height())
            .title(style.title())
            .xAxisTitle("delivered messages per second (" + subtitle(all) + ")")
            .yAxisTitle(style.metric().label() + " send-to-delivery latency (ms, log scale)")
            .build();
    style(chart.getStyler());
    chart.getStyler().setLegendPosition(quietestCorner(series, style));
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      if (s.runs().isEmpty()) {
        continue;
      }
      XYSeries line =
          chart.addSeries(s.label(), delivered(s.runs()), latencies(s.runs(), style.metric()));
      line.setLineColor(colour(i));
      line.setMarkerColor(colour(i));
      line.setMarker(SeriesMarkers.CIRCLE);
      List<RunResult> failed = s.runs().stream().filter(r -> r.errors() > 0).toList();
      if (!failed.isEmpty()) {
        XYSeries errors =
            chart.addSeries(
                s.label() + ": run with errors",
                delivered(failed),
                latencies(failed, style.metric()));
        errors.setLineStyle(SeriesLines.NONE);
        errors.setMarker(SeriesMarkers.SQUARE);
        errors.setMarkerColor(colour(i));
        errors.setShowInLegend(false);
      }
    }
    return chart;
  }

  private static void style(XYStyler styler) {
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setPlotBorderColor(new Color(0x888888));
    styler.setPlotGridLinesColor(new Color(0xE3E3E3));
    styler.setPlotGridLinesStroke(new BasicStroke(1f));
    styler.setChartFontColor(INK);
    styler.setAxisTickLabelsColor(INK);
    styler.setChartTitleBoxVisible(false);
    styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    styler.setLegendBorderColor(new Color(0xBBBBBB));
    styler.setMarkerSize(9);
    styler.setXAxisMin(0.0);
    styler.setXAxisTickMarkSpacingHint(90);
    styler.setXAxisDecimalPattern("#,###");
    styler.setYAxisLogarithmic(true);
    styler.setYAxisDecimalPattern("#,##0.###");
  }

  private static String subtitle(List<RunResult> all) {
    String users =
        all.stream()
            .map(r -> Integer.toString(r.users()))
            .collect(Collectors.toCollection(TreeSet::new))
            .stream()
            .collect(Collectors.joining("/"));
    return "one point per run, target rate rising along each line"
        + (all.stream().anyMatch(r -> r.targetRate() == 0) ? ", unbounded last" : "")
        + "; users "
        + users
        + (all.stream().anyMatch(r -> r.errors() > 0) ? "; squares: runs with errors" : "");
  }

  /**
   * The inside corner where a legend box of about this size hides the fewest points of the lines
   * (top left on ties), judged in fractions of the plot: x from 0 to the most delivered, y over the
   * decades of latency shown.
   */
  private static Styler.LegendPosition quietestCorner(List<Series> series, Style style) {
    List<RunResult> all = series.stream().flatMap(s -> s.runs().stream()).toList();
    double maxX = Math.max(1e-9, all.stream().mapToDouble(RunResult::delivered).max().orElse(1));
    double minY = all.stream().mapToDouble(r -> logLatency(r, style.metric())).min().orElse(0);
    double spanY =
        Math.max(
            1e-9,
            all.stream().mapToDouble(r -> logLatency(r, style.metric())).max().orElse(1) - minY);
    int longest = series.stream().mapToInt(s -> s.label().length()).max().orElse(0);
    double boxWidth = Math.min(0.5, (longest * 8 + 60) / (style.width() * 0.85));
    double boxHeight = Math.min(0.5, (series.size() * 23 + 12) / (style.height() * 0.8));
    Styler.LegendPosition[] corners = {
      Styler.LegendPosition.InsideNW,
      Styler.LegendPosition.InsideNE,
      Styler.LegendPosition.InsideSW,
      Styler.LegendPosition.InsideSE
    };
    long[] hidden = new long[corners.length];
    for (Series s : series) {
      double[] x = s.runs().stream().mapToDouble(r -> r.delivered() / maxX).toArray();
      double[] y =
          s.runs().stream()
              .mapToDouble(r -> (logLatency(r, style.metric()) - minY) / spanY)
              .toArray();
      for (int c = 0; c < corners.length; c++) {
        double left = c % 2 == 0 ? 0 : 1 - boxWidth;
        double bottom = c < 2 ? 1 - boxHeight : 0;
        for (int i = 0; i < x.length; i++) {
          // a point counts as much as the line between two points
          for (int k = i == 0 ? 20 : 1; k <= 20; k++) {
            double px = i == 0 ? x[i] : x[i - 1] + (x[i] - x[i - 1]) * k / 20;
            double py = i == 0 ? y[i] : y[i - 1] + (y[i] - y[i - 1]) * k / 20;
            boolean inside =
                px >= left && px <= left + boxWidth && py >= bottom && py <= bottom + boxHeight;
            hidden[c] += inside ? (k == 20 ? 20 : 1) : 0;
          }
        }
      }
    }
    int best = 0;
    for (int c = 1; c < corners.length; c++) {
      best = hidden[c] < hidden[best] ? c : best;
    }
    return corners[best];
  }

  private static double logLatency(RunResult r, Metric metric) {
    return Math.log10(Math.max(FLOOR_MS, r.latencyMs(metric)));
  }

  private static double[] delivered(List<RunResult> runs) {
    return runs.stream().mapToDouble(RunResult::delivered).toArray();
  }

  private static double[] latencies(List<RunResult> runs, Metric metric) {
    return runs.stream().mapToDouble(r -> Math.max(FLOOR_MS, r.latencyMs(metric))).toArray();
  }
}
