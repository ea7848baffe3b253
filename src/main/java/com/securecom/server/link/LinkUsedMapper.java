package com.securecom.server.link;

import com.securecom.server.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 409 {@code link_used}. */
@Provider
public class LinkUsedMapper implements ExceptionMapper<LinkUsedException> {
  @Override
  public Response toResponse(LinkUsedException e) {
    return Problem.response(Response.Status.CONFLICT, "link_used", e.getMessage()).build();
  }
}
