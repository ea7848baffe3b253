package com.securecom.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Security headers on every response, for the browser client above all: its pages may load scripts,
 * styles and connections from this origin only (no inline script or style, no plugins, no framing,
 * no foreign form targets). {@code connect-src 'self'} also allows the WebSocket to {@code /ws} on
 * the same host and port, {@code ws:} or {@code wss:} (CSP Level 3; checked in Chromium by the
 * browser tests). API answers are not cached at all; pages and scripts are revalidated on every
 * load. A response to a request that came over HTTPS also carries {@code Strict-Transport-Security}
 * (one year), so a browser that once reached the server securely never again sends a password or
 * token to it in the clear. Registered first in {@code WEB-INF/web.xml}.
 */
public class SecurityHeadersFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  static final String CONTENT_SECURITY_POLICY =
      String.join(
          "; ",
          "default-src 'self'",
          "script-src 'self'",
          "connect-src 'self'",
          "style-src 'self'",
          "img-src 'self' data:",
          "object-src 'none'",
          "base-uri 'none'",
          "frame-ancestors 'none'",
          "form-action 'self'");

  static final String STRICT_TRANSPORT_SECURITY = "max-age=31536000";

  static final String PERMISSIONS_POLICY =
      String.join(", ", "camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()");

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    response.setHeader("Permissions-Policy", PERMISSIONS_POLICY);
    if (request.isSecure()) {
      response.setHeader("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
    }
    // API answers carry tokens and keys: never stored. Pages and scripts are revalidated, so
    // updates apply at once.
    String path = request.getRequestURI().substring(request.getContextPath().length());
    response.setHeader("Cache-Control", path.startsWith("/api/") ? "no-store" : "no-cache");
    chain.doFilter(request, response);
  }
}
