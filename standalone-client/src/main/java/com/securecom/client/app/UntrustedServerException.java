package com.securecom.client.app;

/** The server's key is not the one this profile pinned (or the one the user was told to expect). */
public class UntrustedServerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UntrustedServerException(String detail) {
    super(detail);
  }
}
