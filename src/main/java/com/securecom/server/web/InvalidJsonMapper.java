package com.securecom.server.web;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 400 {@code invalid_json} for a body that is not strict JSON of one object. */
@Provider
public class InvalidJsonMapper implements ExceptionMapper<InvalidJsonException> {
  @Override
  public Response toResponse(InvalidJsonException e) {
    return Problem.response(Response.Status.BAD_REQUEST, "invalid_json", e.getMessage()).build();
  }
}
