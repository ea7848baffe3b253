package com.securecom.server.link;

/** 409 {@code link_conflict}: a mailbox with this id exists: make a new link code. */
public class LinkConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LinkConflictException() {
    super("a mailbox with this id exists: make a new link code");
  }
}
