package com.securecom.server.web;

/**
 * A protected call ({@link Authenticated}) without a valid bearer token: none, a malformed, expired
 * or revoked one, or one whose device was removed (its tokens with it) while the call ran, after
 * the token was checked. One answer for all ({@link NotAuthenticatedMapper}). Here, beside the
 * binding, rather than with the sessions that check tokens, so that every domain package acting for
 * the authenticated caller can raise it without depending on sessions.
 */
public class NotAuthenticatedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NotAuthenticatedException() {
    super("a valid bearer token is required");
  }
}
