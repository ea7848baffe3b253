package com.securecom.loadgen.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LatencyPlotTest {
  @TempDir Path dir;

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  @Test
  void labelledCsvFiles_becomeAPngOfTheRequestedSize() throws Exception {
    Path payara =
        Files.writeString(
            dir.resolve("bare.csv"),
            "CSV,bare,100,1000,1000,1,30,60,80,0,0.40,\nCSV,bare,100,2000,2000,2,45,90,120,0,0.90,\n");
    Path wildfly =
        Files.writeString(
            dir.resolve("wf.csv"),
            "CSV,bare,100,1000,1000,0.8,5,9,11,0,0.30,\nCSV,bare,100,2000,2000,0.9,14,20,25,0,0.50,\n");
    Path png = dir.resolve("out/plot.png");
    int code =
        new CommandLine(new LatencyPlot())
            .execute(
                "--out",
                png.toString(),
                "--width",
                "640",
                "--height",
                "400",
                "payara-bare=" + payara,
                "wildfly-bare=" + wildfly);
    assertEquals(0, code);
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(640, image.getWidth());
    assertEquals(400, image.getHeight());
    assertTrue(LatencyChartTest.pixels(image, LatencyChart.colour(0)) > 50);
    assertTrue(LatencyChartTest.pixels(image, LatencyChart.colour(1)) > 50);
  }

  @Test
  void missingFile_failsWithoutWriting() {
    Path png = dir.resolve("plot.png");
    int code =
        new CommandLine(new LatencyPlot())
            .execute("--out", png.toString(), "x=" + dir.resolve("none.csv"));
    assertEquals(2, code);
    assertFalse(Files.exists(png));
  }
}
