package com.securecom.server.web;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 400 naming the field at fault. */
@Provider
public class InvalidRequestMapper implements ExceptionMapper<InvalidRequestException> {
  @Override
  public Response toResponse(InvalidRequestException e) {
    return Problem.response(
            Response.Status.BAD_REQUEST, "invalid_request", e.getMessage(), e.field())
        .build();
  }
}
