package com.securecom.server.web;

import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * 500 without internals for anything unmapped. Logs the resource method and the exception, never
 * the request body (it may hold a password or keys).
 */
@Provider
public class UnexpectedFailureMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = Logger.getLogger(UnexpectedFailureMapper.class.getName());

  @Context ResourceInfo resource;

  @Override
  public Response toResponse(Throwable e) {
    String method =
        resource == null || resource.getResourceMethod() == null
            ? "unknown"
            : resource.getResourceClass().getSimpleName()
                + "."
                + resource.getResourceMethod().getName();
    LOG.log(Level.SEVERE, "Unexpected failure in " + method, e);
    return Problem.response(
            Response.Status.INTERNAL_SERVER_ERROR,
            "server_error",
            "the server failed; the failure was logged")
        .build();
  }
}
