package com.securecom.server.keys;

/** No user of that name is registered. */
public class UnknownUserException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownUserException() {
    super("no such user");
  }
}
