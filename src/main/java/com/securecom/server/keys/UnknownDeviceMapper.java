package com.securecom.server.keys;

import com.securecom.server.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 404 {@code unknown_device}, field {@code devices}: the first requested id the account lacks. */
@Provider
public class UnknownDeviceMapper implements ExceptionMapper<UnknownDeviceException> {
  @Override
  public Response toResponse(UnknownDeviceException e) {
    return Problem.response(Response.Status.NOT_FOUND, "unknown_device", e.getMessage(), "devices")
        .build();
  }
}
