package com.securecom.server.session;

import com.securecom.server.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 403 {@code device_removed}: the client must not log in as that device again. */
@Provider
public class DeviceRemovedMapper implements ExceptionMapper<DeviceRemovedException> {
  @Override
  public Response toResponse(DeviceRemovedException e) {
    return Problem.response(Response.Status.FORBIDDEN, "device_removed", e.getMessage()).build();
  }
}
