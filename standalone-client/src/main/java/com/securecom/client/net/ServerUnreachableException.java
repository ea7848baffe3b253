package com.securecom.client.net;

/** The server could not be reached (refused, timed out, or gone mid-call). */
public class ServerUnreachableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ServerUnreachableException(String server, Throwable cause) {
    super("cannot reach the server at " + server, cause);
  }
}
