package com.securecom.loadgen.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

class LatencyChartTest {
  private static final LatencyChart.Style STYLE =
      new LatencyChart.Style(900, 560, "test plot", Metric.P99);

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  @Test
  void everySeries_leavesPixelsOfItsColour() {
    List<Series> series =
        List.of(
            series(
                "payara-bare",
                "CSV,bare,100,1000,1000,1,30,60,80,0,,",
                "CSV,bare,100,4000,3500,50,2600,3000,3100,0,,"),
            series(
                "wildfly-bare",
                "CSV,bare,100,1000,1000,0.8,5,9,11,0,,",
                "CSV,bare,100,4000,4000,1,40,60,70,0,,",
                "CSV,bare,100,12000,10800,9,900,1200,1300,0,,"),
            series(
                "securecom",
                "CSV,securecom,100,1000,990,2,45,80,100,0,,",
                "CSV,securecom,100,2000,1500,20,1800,2000,2500,7,,"));
    BufferedImage image = render(series, STYLE);
    assertEquals(900, image.getWidth());
    assertEquals(560, image.getHeight());
    assertEquals(Color.WHITE.getRGB(), image.getRGB(2, 2));
    for (int i = 0; i < series.size(); i++) {
      long count = pixels(image, LatencyChart.colour(i));
      assertTrue(
          count > 100, series.get(i).label() + " has only " + count + " pixels of its colour");
    }
  }

  @Test
  void seriesColours_areDistinct() {
    for (int i = 0; i < 8; i++) {
      for (int j = i + 1; j < 8; j++) {
        assertTrue(!LatencyChart.colour(i).equals(LatencyChart.colour(j)), i + " and " + j);
      }
    }
  }

  @Test
  void zeroLatencyAndZeroDelivery_stillDraw() {
    BufferedImage image = render(List.of(series("odd", "CSV,bare,10,0,0,0,0,0,0,5,,")), STYLE);
    assertTrue(pixels(image, LatencyChart.colour(0)) > 10);
  }

  @Test
  void noRuns_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> LatencyChart.of(List.of(), STYLE));
  }

  @Test
  void runsWithErrors_getASeriesOfTheirOwn_andLinesKeepTargetRateOrder() {
    XYChart chart =
        LatencyChart.of(
            List.of(
                series(
                    "securecom",
                    "CSV,securecom,100,2000,1500,20,1800,2000,2500,7,,",
                    "CSV,securecom,100,1000,990,2,45,80,100,0,,",
                    "CSV,securecom,100,0,1200,40,3000,4000,5000,0,,")),
            STYLE);

    XYSeries line = chart.getSeriesMap().get("securecom");
    assertArrayEquals(new double[] {990, 1500, 1200}, line.getXData());
    assertArrayEquals(new double[] {45, 1800, 3000}, line.getYData());
    XYSeries errors = chart.getSeriesMap().get("securecom: run with errors");
    assertArrayEquals(new double[] {1500}, errors.getXData());
    assertFalse(errors.isShowInLegend());
    assertTrue(chart.getXAxisTitle().contains("squares: runs with errors"), chart.getXAxisTitle());
    assertEquals(2, chart.getSeriesMap().size());
  }

  @Test
  void axes_showDeliveredLoadAndTheChosenLatencyOnALogScale() {
    XYChart chart =
        LatencyChart.of(
            List.of(series("a", "CSV,bare,100,1000,1000,1,30,60,80,0,,")),
            new LatencyChart.Style(900, 560, "t", Metric.P999));

    assertTrue(chart.getStyler().isYAxisLogarithmic());
    assertTrue(
        chart.getXAxisTitle().startsWith("delivered messages per second"), chart.getXAxisTitle());
    assertEquals("p99.9 send-to-delivery latency (ms, log scale)", chart.getYAxisTitle());
    assertArrayEquals(new double[] {60}, chart.getSeriesMap().get("a").getYData());
  }

  @Test
  void legend_goesToTheCornerWithoutRuns() {
    XYChart chart =
        LatencyChart.of(
            List.of(
                series(
                    "rising",
                    "CSV,bare,100,1000,1000,1,1,1,1,0,,",
                    "CSV,bare,100,2000,2000,1,10,10,10,0,,",
                    "CSV,bare,100,4000,4000,1,1000,1000,1000,0,,")),
            STYLE);

    assertEquals(Styler.LegendPosition.InsideNW, chart.getStyler().getLegendPosition());
  }

  static BufferedImage render(List<Series> series, LatencyChart.Style style) {
    return BitmapEncoder.getBufferedImage(LatencyChart.of(series, style));
  }

  static Series series(String label, String... lines) {
    return new Series(label, List.of(lines).stream().map(RunResult::parse).toList());
  }

  static long pixels(BufferedImage image, Color colour) {
    long n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        n += (image.getRGB(x, y) & 0xFFFFFF) == (colour.getRGB() & 0xFFFFFF) ? 1 : 0;
      }
    }
    return n;
  }
}
