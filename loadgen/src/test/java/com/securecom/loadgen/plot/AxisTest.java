package com.securecom.loadgen.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AxisTest {
  @Test
  void linear_endsOnARoundNumberAboveTheData() {
    Axis.Linear x = Axis.Linear.upTo(19_870, 8);
    assertEquals(22_500, x.max());
    assertEquals(2_500, x.step());
    assertEquals(0, x.ticks().get(0));
    assertEquals(22_500, x.ticks().get(x.ticks().size() - 1));
    assertEquals("12,500", x.label(12_500));
  }

  @Test
  void log_coversWholeDecades_withOneTwoFiveTicks() {
    Axis.Log y = Axis.Log.around(0.8, 2600);
    assertEquals(0.1, y.min(), 1e-12);
    assertEquals(10_000, y.max(), 1e-9);
    assertEquals(List.of(0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0), y.ticks().subList(0, 7));
    assertEquals(0, y.fraction(0.1), 1e-12);
    assertEquals(1, y.fraction(10_000), 1e-12);
    assertEquals(0.4, y.fraction(10), 1e-12);
    assertEquals("0.5", y.label(0.5));
    assertEquals("1,000", y.label(1000));
  }

  @Test
  void log_ofOneValue_stillSpansADecade() {
    Axis.Log y = Axis.Log.around(5, 5);
    assertTrue(y.max() > y.min());
    assertTrue(y.fraction(5) > 0 && y.fraction(5) < 1);
  }
}
