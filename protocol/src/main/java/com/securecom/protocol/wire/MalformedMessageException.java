package com.securecom.protocol.wire;

/** A channel message that is not valid JSON or not one of the documented messages. */
public final class MalformedMessageException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedMessageException(String message) {
    super(message);
  }
}
