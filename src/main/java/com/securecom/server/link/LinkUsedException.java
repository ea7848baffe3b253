package com.securecom.server.link;

/** 409 {@code link_used}: this mailbox already holds a message: the code was used. */
public class LinkUsedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LinkUsedException() {
    super("this mailbox already holds a message: the code was used");
  }
}
