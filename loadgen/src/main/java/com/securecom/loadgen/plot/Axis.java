package com.securecom.loadgen.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Maps data values to [0, 1] along an axis and says where its labelled ticks go. */
sealed interface Axis {
  /** 0 at the axis' low end, 1 at its high end. */
  double fraction(double value);

  List<Double> ticks();

  /** A tick label: thousands grouped, no trailing zeros ({@code 4,000}, {@code 0.5}). */
  default String label(double value) {
    if (value >= 1 && value == Math.rint(value)) {
      return String.format(Locale.ROOT, "%,d", (long) value);
    }
    return String.format(Locale.ROOT, "%.3f", value).replaceFirst("0+$", "").replaceFirst("\\.$", "");
  }

  /** From 0 to a round number a little above {@code dataMax}, in 1, 2, 2.5 or 5 steps: about {@code aim} of them. */
  record Linear(double max, double step) implements Axis {
    static Linear upTo(double dataMax, int aim) {
      double top = Math.max(dataMax, 1e-9) * 1.05;
      double raw = top / aim;
      double decade = Math.pow(10, Math.floor(Math.log10(raw)));
      double step = decade;
      for (double nice : new double[] {2, 2.5, 5, 10}) {
        if (Math.abs(Math.log(nice * decade / raw)) < Math.abs(Math.log(step / raw))) {
          step = nice * decade;
        }
      }
      return new Linear(Math.ceil(top / step) * step, step);
    }

    @Override
    public double fraction(double value) {
      return value / max;
    }

    @Override
    public List<Double> ticks() {
      List<Double> ticks = new ArrayList<>();
      for (int i = 0; i * step <= max + step / 1e6; i++) {
        ticks.add(i * step);
      }
      return ticks;
    }
  }

  /** Whole decades around the data; ticks at 1, 2 and 5 times each power of ten when few decades are shown. */
  record Log(double min, double max) implements Axis {
    static Log around(double dataMin, double dataMax) {
      double lo = Math.pow(10, Math.floor(Math.log10(dataMin)));
      double hi = Math.pow(10, Math.ceil(Math.log10(dataMax)));
      return new Log(lo, hi > lo ? hi : lo * 10);
    }

    @Override
    public double fraction(double value) {
      return (Math.log10(value) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
    }

    @Override
    public List<Double> ticks() {
      long decades = Math.round(Math.log10(max / min));
      double[] steps = decades <= 5 ? new double[] {1, 2, 5} : new double[] {1};
      List<Double> ticks = new ArrayList<>();
      for (double decade = min; decade <= max * 1.0001; decade *= 10) {
        for (double s : steps) {
          double tick = Double.parseDouble(String.format(Locale.ROOT, "%.6g", decade * s));
          if (tick <= max * 1.0001) {
            ticks.add(tick);
          }
        }
      }
      return ticks;
    }
  }
}
