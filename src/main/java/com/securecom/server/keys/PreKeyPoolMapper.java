package com.securecom.server.keys;

import com.securecom.server.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 409 for a reused one-time prekey id, 400 for an upload that would overfill the pool. */
@Provider
public class PreKeyPoolMapper implements ExceptionMapper<PreKeyPoolException> {
  @Override
  public Response toResponse(PreKeyPoolException e) {
    return e.isConflict()
        ? Problem.response(Response.Status.CONFLICT, "prekey_conflict", e.getMessage(), e.field())
            .build()
        : Problem.response(
                Response.Status.BAD_REQUEST, "prekey_pool_full", e.getMessage(), e.field())
            .build();
  }
}
