package com.securecom.client.cli;

/**
 * The command line asks for something the command cannot do as given (exit 2); the message says
 * what to change.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
