package com.securecom.server.session;

import com.securecom.server.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 401 with one body for a wrong password and an unknown user alike. */
@Provider
public class InvalidCredentialsMapper implements ExceptionMapper<InvalidCredentialsException> {
  @Override
  public Response toResponse(InvalidCredentialsException e) {
    return Problem.response(Response.Status.UNAUTHORIZED, "invalid_credentials", e.getMessage())
        .build();
  }
}
