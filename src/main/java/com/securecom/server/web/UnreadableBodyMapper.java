package com.securecom.server.web;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * 400 for a body that is not JSON of the expected shape (the JSON-B reader fails with a
 * ProcessingException).
 */
@Provider
public class UnreadableBodyMapper implements ExceptionMapper<ProcessingException> {
  @Override
  public Response toResponse(ProcessingException e) {
    return Problem.response(
            Response.Status.BAD_REQUEST,
            "invalid_json",
            "the request body is not valid JSON of the expected shape")
        .build();
  }
}
