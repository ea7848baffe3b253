package com.securecom.client.app;

/** There is no valid session token (never logged in, logged out, expired or revoked). */
public class NotLoggedInException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NotLoggedInException(String detail) {
    super(detail + "; run 'securecom login'");
  }
}
