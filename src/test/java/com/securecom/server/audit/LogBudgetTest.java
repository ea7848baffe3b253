package com.securecom.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class LogBudgetTest {
  @Test
  void aFloodOfEvents_logsAtMostTheBudgetPerMinute() {
    Logger logger = Logger.getLogger("securecom.audit.test." + System.nanoTime());
    logger.setUseParentHandlers(false);
    List<String> lines = new ArrayList<>();
    logger.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            lines.add(record.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
    LogBudget budget = new LogBudget();

    for (int i = 0; i < 1000; i++) {
      budget.log(logger, Level.WARNING, "login failed user=(no such account)", "192.0.2.1");
    }

    assertThat(lines)
        .hasSize(LogBudget.LINES_PER_MINUTE)
        .allMatch(line -> line.equals("login failed user=(no such account) address=192.0.2.1"));
  }
}
