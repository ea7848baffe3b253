package com.securecom.client.app;

/** No user of that name is registered on the server. */
public class UnknownPeerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownPeerException(String peer) {
    super("no user called " + peer + " on this server");
  }
}
