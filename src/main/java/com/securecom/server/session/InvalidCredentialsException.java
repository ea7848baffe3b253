package com.securecom.server.session;

/** Wrong password or unknown user: deliberately the same failure for both. */
public class InvalidCredentialsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidCredentialsException() {
    super("invalid username or password");
  }
}
