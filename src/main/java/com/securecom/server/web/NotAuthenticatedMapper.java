package com.securecom.server.web;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 401 {@code unauthorized} with {@code WWW-Authenticate: Bearer} for a missing, bad, expired or
 * revoked token, and for one whose device was removed while its call ran.
 */
@Provider
public class NotAuthenticatedMapper implements ExceptionMapper<NotAuthenticatedException> {
  @Override
  public Response toResponse(NotAuthenticatedException e) {
    return Problem.response(Response.Status.UNAUTHORIZED, "unauthorized", e.getMessage())
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"securecom\"")
        .build();
  }
}
