package com.securecom.server.keys;

import com.securecom.server.web.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 400 for a published key that the identity key did not sign. */
@Provider
public class InvalidKeySignatureMapper implements ExceptionMapper<InvalidKeySignatureException> {
  @Override
  public Response toResponse(InvalidKeySignatureException e) {
    return Problem.response(
            Response.Status.BAD_REQUEST, "invalid_signature", e.getMessage(), e.field())
        .build();
  }
}
