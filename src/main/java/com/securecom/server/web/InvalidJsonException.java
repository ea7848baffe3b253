package com.securecom.server.web;

/**
 * A request body that is not strict JSON of one object (see {@link StrictJson}): 400 {@code
 * invalid_json}.
 */
public class InvalidJsonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidJsonException(String detail) {
    super(detail);
  }
}
