package com.securecom.server.devicelist;

/**
 * A linking ticket that is not a valid one of the named account: unknown, used, expired or another
 * account's, one answer for all, so that it reveals nothing about tickets or accounts.
 */
public class InvalidTicketException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidTicketException() {
    super("the ticket is unknown, used, expired or another account's: link again");
  }
}
