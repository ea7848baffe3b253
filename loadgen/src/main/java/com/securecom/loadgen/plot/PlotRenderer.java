package com.securecom.loadgen.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Draws latency (log scale) against delivered messages per second: one line per series through its runs in order of
 * target rate, so that past saturation a line bends back (less delivered, more latency) instead of hiding it.
 */
public final class PlotRenderer {
  /** Okabe-Ito colours (readable with colour blindness), then two more; series take them in order. */
  private static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
      new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9), new Color(0x8C564B), new Color(0x6A3D9A)};
  /** Latencies below this are drawn at it: a log axis has no zero. */
  private static final double FLOOR_MS = 0.01;
  private static final Color INK = new Color(0x333333);
  private static final Color GRID = new Color(0xE3E3E3);
  private static final int LEFT = 90;
  private static final int RIGHT = 40;
  private static final int TOP = 72;
  private static final int BOTTOM = 64;

  /** What the picture says around its data. */
  public record Style(int width, int height, String title, Metric metric) {}

  private PlotRenderer() {}

  /** The colour of the series at {@code index}. */
  public static Color colour(int index) {
    return PALETTE[index % PALETTE.length];
  }

  public static BufferedImage render(List<Series> series, Style style) {
    if (series.isEmpty() || series.stream().allMatch(s -> s.runs().isEmpty())) {
      throw new IllegalArgumentException("nothing to plot");
    }
    List<RunResult> all = series.stream().flatMap(s -> s.runs().stream()).toList();
    Axis x = Axis.Linear.upTo(all.stream().mapToDouble(RunResult::delivered).max().orElse(1), 8);
    Axis y = Axis.Log.around(all.stream().mapToDouble(r -> latency(r, style.metric())).min().orElse(1),
        all.stream().mapToDouble(r -> latency(r, style.metric())).max().orElse(1));
    BufferedImage image = new BufferedImage(style.width(), style.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, style.width(), style.height());
      Rectangle2D area = new Rectangle2D.Double(LEFT, TOP, style.width() - LEFT - RIGHT,
          style.height() - TOP - BOTTOM);
      drawFrame(g, area, x, y, style, subtitle(all));
      // markers on the frame's edge stay whole
      g.clip(new Rectangle2D.Double(area.getX() - 6, area.getY() - 6, area.getWidth() + 12, area.getHeight() + 12));
      List<List<Point2D>> placed = new ArrayList<>();
      for (int i = 0; i < series.size(); i++) {
        placed.add(place(series.get(i), area, x, y, style.metric()));
        drawSeries(g, placed.get(i), series.get(i).runs(), colour(i));
      }
      g.setClip(null);
      drawLegend(g, series, area, placed, all.stream().anyMatch(r -> r.errors() > 0));
    } finally {
      g.dispose();
    }
    return image;
  }

  private static double latency(RunResult r, Metric metric) {
    return Math.max(FLOOR_MS, r.latencyMs(metric));
  }

  private static String subtitle(List<RunResult> all) {
    String users = all.stream().map(r -> Integer.toString(r.users())).collect(Collectors.toCollection(TreeSet::new))
        .stream().collect(Collectors.joining("/"));
    return "one point per run, target rate rising along each line"
        + (all.stream().anyMatch(r -> r.targetRate() == 0) ? " (unbounded last)" : "") + "; users " + users;
  }

  private static void drawFrame(Graphics2D g, Rectangle2D area, Axis x, Axis y, Style style, String subtitle) {
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    g.setColor(INK);
    centred(g, style.title(), style.width() / 2.0, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    centred(g, subtitle, style.width() / 2.0, 52);
    FontMetrics fm = g.getFontMetrics();
    g.setStroke(new BasicStroke(1f));
    for (double t : x.ticks()) {
      double px = area.getX() + x.fraction(t) * area.getWidth();
      g.setColor(GRID);
      g.draw(new Line2D.Double(px, area.getY(), px, area.getMaxY()));
      g.setColor(INK);
      centred(g, x.label(t), px, area.getMaxY() + 6 + fm.getAscent());
    }
    for (double t : y.ticks()) {
      double py = area.getMaxY() - y.fraction(t) * area.getHeight();
      g.setColor(GRID);
      g.draw(new Line2D.Double(area.getX(), py, area.getMaxX(), py));
      g.setColor(INK);
      String label = y.label(t);
      g.drawString(label, (float) (area.getX() - 8 - fm.stringWidth(label)), (float) (py + fm.getAscent() / 2.0 - 1));
    }
    g.setColor(new Color(0x888888));
    g.draw(area);
    g.setColor(INK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    centred(g, "delivered messages per second", area.getCenterX(), style.height() - 16);
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    centred(g, style.metric().label() + " send-to-delivery latency (ms, log scale)", -area.getCenterY(), 24);
    g.setTransform(saved);
  }

  private static void drawSeries(Graphics2D g, List<Point2D> points, List<RunResult> runs, Color colour) {
    Path2D line = new Path2D.Double();
    for (Point2D p : points) {
      if (line.getCurrentPoint() == null) {
        line.moveTo(p.getX(), p.getY());
      } else {
        line.lineTo(p.getX(), p.getY());
      }
    }
    g.setColor(colour);
    g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.draw(line);
    for (int i = 0; i < points.size(); i++) {
      marker(g, colour, points.get(i).getX(), points.get(i).getY(), runs.get(i).errors() > 0);
    }
  }

  /** Where a series' runs fall in the image. */
  private static List<Point2D> place(Series s, Rectangle2D area, Axis x, Axis y, Metric metric) {
    return s.runs().stream().<Point2D>map(r -> new Point2D.Double(
        area.getX() + x.fraction(r.delivered()) * area.getWidth(),
        area.getMaxY() - y.fraction(latency(r, metric)) * area.getHeight())).toList();
  }

  /** A filled disc, or for a run with errors a hollow square. */
  private static void marker(Graphics2D g, Color colour, double px, double py, boolean errors) {
    if (errors) {
      Rectangle2D square = new Rectangle2D.Double(px - 5, py - 5, 10, 10);
      g.setColor(Color.WHITE);
      g.fill(square);
      g.setColor(colour);
      g.setStroke(new BasicStroke(2f));
      g.draw(square);
    } else {
      g.setColor(colour);
      g.fill(new Ellipse2D.Double(px - 4.5, py - 4.5, 9, 9));
    }
  }

  private static void drawLegend(Graphics2D g, List<Series> series, Rectangle2D area, List<List<Point2D>> placed,
      boolean anyErrors) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    FontMetrics fm = g.getFontMetrics();
    int rows = series.size() + (anyErrors ? 1 : 0);
    int width = 0;
    for (Series s : series) {
      width = Math.max(width, fm.stringWidth(s.label()));
    }
    String errorsNote = "run with errors";
    width = Math.max(width, anyErrors ? fm.stringWidth(errorsNote) : 0) + 56;
    int row = fm.getHeight() + 4;
    Rectangle2D box = quietestCorner(area, width, rows * row + 8, placed);
    double top = box.getY();
    double left = box.getX();
    g.setColor(Color.WHITE);
    g.fill(box);
    g.setColor(new Color(0xBBBBBB));
    g.setStroke(new BasicStroke(1f));
    g.draw(box);
    for (int i = 0; i < rows; i++) {
      double cy = top + 4 + row * i + row / 2.0;
      boolean note = i == series.size();
      Color colour = note ? new Color(0x777777) : colour(i);
      if (!note) {
        g.setColor(colour);
        g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new Line2D.Double(left + 8, cy, left + 38, cy));
      }
      marker(g, colour, left + 23, cy, note);
      g.setColor(INK);
      g.drawString(note ? errorsNote : series.get(i).label(), (float) (left + 46),
          (float) (cy + fm.getAscent() / 2.0 - 2));
    }
  }

  /** The corner of the plot area where a box of this size hides the fewest points of the lines (top left on ties). */
  private static Rectangle2D quietestCorner(Rectangle2D area, double width, double height,
      List<List<Point2D>> placed) {
    Rectangle2D best = null;
    long bestHidden = Long.MAX_VALUE;
    for (int corner = 0; corner < 4; corner++) {
      double left = corner % 2 == 0 ? area.getX() + 10 : area.getMaxX() - 10 - width;
      double top = corner < 2 ? area.getY() + 10 : area.getMaxY() - 10 - height;
      Rectangle2D box = new Rectangle2D.Double(left - 6, top - 6, width + 12, height + 12);
      long hidden = 0;
      for (List<Point2D> line : placed) {
        for (int i = 0; i < line.size(); i++) {
          hidden += box.contains(line.get(i)) ? 20 : 0;
          for (int k = 1; i > 0 && k < 20; k++) {
            Point2D a = line.get(i - 1);
            Point2D b = line.get(i);
            hidden += box.contains(a.getX() + (b.getX() - a.getX()) * k / 20,
                a.getY() + (b.getY() - a.getY()) * k / 20) ? 1 : 0;
          }
        }
      }
      if (hidden < bestHidden) {
        best = new Rectangle2D.Double(left, top, width, height);
        bestHidden = hidden;
      }
    }
    return best;
  }

  private static void centred(Graphics2D g, String text, double cx, double baseline) {
    g.drawString(text, (float) (cx - g.getFontMetrics().stringWidth(text) / 2.0), (float) baseline);
  }
}
