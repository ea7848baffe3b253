package com.securecom.server.ratelimit;

import com.securecom.server.audit.AuditLog;
import com.securecom.server.web.ClientAddress;
import com.securecom.server.web.Problem;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;

/**
 * 429 with {@code Retry-After} in whole seconds (at least 1); each one counted and logged by the
 * {@link AuditLog} under the resource method's name.
 */
@Provider
public class RateLimitedMapper implements ExceptionMapper<RateLimitedException> {
  @Inject AuditLog audit;

  @Inject ClientAddress clientAddress;

  @Context ResourceInfo resource;

  @Context HttpServletRequest http;

  @Override
  public Response toResponse(RateLimitedException e) {
    if (audit != null) {
      Method method = resource == null ? null : resource.getResourceMethod();
      audit.rateLimited(
          method == null ? "unknown" : method.getName(),
          http == null ? null : clientAddress.of(http));
    }
    long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
    return Problem.response(Response.Status.TOO_MANY_REQUESTS, "rate_limited", e.getMessage())
        .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
        .build();
  }
}
