package com.securecom.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Refuses, before any routing in this application, request paths that a proxy and the container
 * could read differently: encoded slashes, backslashes and dots ({@code %2f}, {@code %5c}, {@code
 * %2e}), dot segments ({@code /./}, {@code /../}, a trailing {@code /..}), path parameters ({@code
 * ;}), NUL, and malformed percent escapes ({@code %u0041}, a trailing {@code %}). They answer 400
 * {@code invalid_path} with a problem body and are not logged: no client of this API needs them,
 * and a proxy rule that lets only {@code /api/*} through must mean what it says.
 *
 * <p>Registered in {@code WEB-INF/web.xml}, right after the security headers, ahead of everything
 * else. Requests the container itself routes to another web module (Payara's {@code /metrics},
 * {@code /health}, {@code /openapi}) or fails to decode never reach this application: see
 * docs/upstream/payara-path-routing.md for those.
 */
public class PathGuardFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!isPlain(request.getRequestURI())) {
      ServletProblem.write(
          response,
          400,
          "Bad Request",
          "invalid_path",
          "the request path holds encoded slashes"
              + " or dots, dot segments, path parameters or malformed percent escapes");
      return;
    }
    chain.doFilter(request, response);
  }

  /** True for a raw (still percent-encoded) path without any of the forms this filter refuses. */
  static boolean isPlain(String rawPath) {
    if (rawPath == null || rawPath.indexOf('\\') >= 0 || rawPath.indexOf(';') >= 0) {
      return false;
    }
    for (int i = 0; i < rawPath.length(); i++) {
      if (rawPath.charAt(i) == '%') {
        if (i + 2 >= rawPath.length()
            || hex(rawPath.charAt(i + 1)) < 0
            || hex(rawPath.charAt(i + 2)) < 0) {
          return false;
        }
        int octet = hex(rawPath.charAt(i + 1)) * 16 + hex(rawPath.charAt(i + 2));
        if (octet == '/'
            || octet == '\\'
            || octet == '.'
            || octet == 0
            || octet == ';'
            || octet == '%') {
          return false;
        }
      }
    }
    for (String segment : rawPath.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }
}
