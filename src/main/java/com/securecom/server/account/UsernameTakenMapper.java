package com.securecom.server.account;

import com.securecom.server.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 409 for a taken username. */
@Provider
public class UsernameTakenMapper implements ExceptionMapper<UsernameTakenException> {
  @Override
  public Response toResponse(UsernameTakenException e) {
    return Problem.response(Response.Status.CONFLICT, "username_taken", e.getMessage(), "username")
        .build();
  }
}
