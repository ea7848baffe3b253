package com.securecom.server.session;

/** Wrong password or unknown user: deliberately the same failure for both. */
public class InvalidCredentialsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean accountExists;

  /** {@code accountExists}: for the audit log only, never for the client. */
  public InvalidCredentialsException(boolean accountExists) {
    super("invalid username or password");
    this.accountExists = accountExists;
  }

  /** True for a wrong password of an existing account (the audit log then names it). */
  public boolean accountExists() {
    return accountExists;
  }
}
