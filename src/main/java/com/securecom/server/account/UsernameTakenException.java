package com.securecom.server.account;

/** Registration of a username that already exists. */
public class UsernameTakenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsernameTakenException() {
    super("username is taken");
  }
}
