package com.securecom.server.web;

/**
 * A request body over {@link StrictJson#MAX_BYTES}: 413 {@code body_too_large}, read no further.
 */
public class BodyTooLargeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BodyTooLargeException(int maxBytes) {
    super("the request body is larger than " + maxBytes + " bytes");
  }
}
