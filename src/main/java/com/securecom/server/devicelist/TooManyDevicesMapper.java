package com.securecom.server.devicelist;

import com.securecom.server.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 409 {@code too_many_devices}: remove a device, then link again. */
@Provider
public class TooManyDevicesMapper implements ExceptionMapper<TooManyDevicesException> {
  @Override
  public Response toResponse(TooManyDevicesException e) {
    return Problem.response(Response.Status.CONFLICT, "too_many_devices", e.getMessage()).build();
  }
}
