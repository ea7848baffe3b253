package com.securecom.client.cli;

/** No profile for this server (and user) exists here (exit 3); the message says how to make one. */
final class NoProfileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  NoProfileException(String message) {
    super(message);
  }
}
