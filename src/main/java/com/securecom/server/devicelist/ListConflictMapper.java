package com.securecom.server.devicelist;

import com.securecom.server.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 409 {@code list_conflict}: fetch the stored list, and build on it. */
@Provider
public class ListConflictMapper implements ExceptionMapper<ListConflictException> {
  @Override
  public Response toResponse(ListConflictException e) {
    return Problem.response(Response.Status.CONFLICT, "list_conflict", e.getMessage()).build();
  }
}
