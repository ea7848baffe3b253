package com.securecom.server.keys;

import com.securecom.server.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 404 for a user who is not registered. */
@Provider
public class UnknownUserMapper implements ExceptionMapper<UnknownUserException> {
  @Override
  public Response toResponse(UnknownUserException e) {
    return Problem.response(Response.Status.NOT_FOUND, "unknown_user", e.getMessage()).build();
  }
}
