package com.securecom.server.session;

/** A protected call without a valid bearer token. */
public class NotAuthenticatedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NotAuthenticatedException() {
    super("a valid bearer token is required");
  }
}
