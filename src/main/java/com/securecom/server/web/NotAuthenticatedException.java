package com.securecom.server.web;

/**
 * A protected call ({@link Authenticated}) without a valid bearer token. Here, beside the binding,
 * rather than with the sessions that check tokens, so that every domain package acting for the
 * authenticated caller can answer the same 401 without depending on sessions.
 */
public class NotAuthenticatedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NotAuthenticatedException() {
    super("a valid bearer token is required");
  }
}
