package com.securecom.server.link;

import com.securecom.server.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 409 {@code link_conflict}. */
@Provider
public class LinkConflictMapper implements ExceptionMapper<LinkConflictException> {
  @Override
  public Response toResponse(LinkConflictException e) {
    return Problem.response(Response.Status.CONFLICT, "link_conflict", e.getMessage()).build();
  }
}
