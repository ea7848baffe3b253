package com.securecom.server.link;

/**
 * 404 {@code unknown_link}: no mailbox with this id is open (mistyped code, already used, or
 * expired).
 */
public class UnknownLinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownLinkException() {
    super("no mailbox with this id is open (mistyped code, already used, or expired)");
  }
}
