package com.securecom.server.web;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 413 {@code body_too_large}. */
@Provider
public class BodyTooLargeMapper implements ExceptionMapper<BodyTooLargeException> {
  @Override
  public Response toResponse(BodyTooLargeException e) {
    return Problem.response(
            Response.Status.REQUEST_ENTITY_TOO_LARGE, "body_too_large", e.getMessage())
        .build();
  }
}
