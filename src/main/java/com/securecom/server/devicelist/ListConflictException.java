package com.securecom.server.devicelist;

/**
 * An uploaded device list that cannot follow the stored one: not its successor (a stale serial, a
 * rollback, a changed or revived entry), or a change this call does not make (a new device).
 */
public class ListConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ListConflictException(String message) {
    super(message);
  }
}
