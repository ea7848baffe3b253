package com.securecom.server.web;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The browser test pages under {@code /tests/} (the published vectors run in the browser) are
 * served only when {@code securecom.web.test-vectors=true}; otherwise they are 404, as if absent: a
 * production server shows users the client and nothing else.
 */
public class TestPagesFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  // A filter is created by the servlet container (no-argument constructor, field injection).
  @Inject
  @ConfigProperty(name = "securecom.web.test-vectors", defaultValue = "false")
  boolean enabled;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!enabled) {
      ServletProblem.write(response, 404, "Not Found", "http_404", "Not Found");
      return;
    }
    chain.doFilter(request, response);
  }
}
