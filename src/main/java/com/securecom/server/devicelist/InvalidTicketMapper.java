package com.securecom.server.devicelist;

import com.securecom.server.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 401 {@code invalid_ticket}: the linking must start again (a new code, a new ticket). */
@Provider
public class InvalidTicketMapper implements ExceptionMapper<InvalidTicketException> {
  @Override
  public Response toResponse(InvalidTicketException e) {
    return Problem.response(Response.Status.UNAUTHORIZED, "invalid_ticket", e.getMessage()).build();
  }
}
