package com.securecom.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Issue 10, finding 8: "a 500 without internals" had no test. */
class UnexpectedFailureMapperTest {
  @Test
  void unexpectedFailure_answers500WithAFixedBody_andLogsOnlyServerSide() {
    List<LogRecord> logged = new ArrayList<>();
    Logger logger = Logger.getLogger(UnexpectedFailureMapper.class.getName());
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            logged.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(capture);
    try {
      Response response =
          new UnexpectedFailureMapper()
              .toResponse(
                  new IllegalStateException(
                      "jdbc:postgresql://db.internal:5432/securecom password=hunter2"));

      assertThat(response.getStatus()).isEqualTo(500);
      Problem problem = (Problem) response.getEntity();
      assertThat(problem.code()).isEqualTo("server_error");
      assertThat(problem.detail()).isEqualTo("the server failed; the failure was logged");
      assertThat(problem.toString())
          .doesNotContain("jdbc")
          .doesNotContain("hunter2")
          .doesNotContain("IllegalStateException");
      assertThat(problem.field()).isNull();
      assertThat(logged).hasSize(1);
    } finally {
      logger.removeHandler(capture);
    }
  }
}
