package com.securecom.server.ratelimit;

import com.securecom.server.web.Problem;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 429 with {@code Retry-After} in whole seconds (at least 1). */
@Provider
public class RateLimitedMapper implements ExceptionMapper<RateLimitedException> {
  @Override
  public Response toResponse(RateLimitedException e) {
    long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
    return Problem.response(Response.Status.TOO_MANY_REQUESTS, "rate_limited", e.getMessage())
        .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
        .build();
  }
}
