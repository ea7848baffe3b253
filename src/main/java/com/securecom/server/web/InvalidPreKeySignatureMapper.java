package com.securecom.server.web;

import com.securecom.server.keys.InvalidPreKeySignatureException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 400 for a signed prekey that the identity key did not sign. */
@Provider
public class InvalidPreKeySignatureMapper implements ExceptionMapper<InvalidPreKeySignatureException> {
  @Override
  public Response toResponse(InvalidPreKeySignatureException e) {
    return Problem.response(Response.Status.BAD_REQUEST, "invalid_signature", e.getMessage(),
        "signedPreKey.signature").build();
  }
}
