package com.securecom.server.link;

import com.securecom.server.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 404 {@code unknown_link}. */
@Provider
public class UnknownLinkMapper implements ExceptionMapper<UnknownLinkException> {
  @Override
  public Response toResponse(UnknownLinkException e) {
    return Problem.response(Response.Status.NOT_FOUND, "unknown_link", e.getMessage()).build();
  }
}
