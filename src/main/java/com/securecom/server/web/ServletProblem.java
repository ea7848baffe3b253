package com.securecom.server.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** A problem body written by a servlet filter, outside JAX-RS (same shape as {@link Problem}). */
final class ServletProblem {
  private ServletProblem() {}

  /** {@code detail} is a fixed text of ours: it is written without JSON escaping. */
  static void write(
      HttpServletResponse response, int status, String title, String code, String detail)
      throws IOException {
    byte[] body =
        ("{\"type\":\"about:blank\",\"title\":\""
                + title
                + "\",\"status\":"
                + status
                + ",\"code\":\""
                + code
                + "\",\"detail\":\""
                + detail
                + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
