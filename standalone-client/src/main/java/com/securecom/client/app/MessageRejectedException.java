package com.securecom.client.app;

/** The relay refused a message ({@code code} is its error code, e.g. "unknown_recipient"). */
public class MessageRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String code;

  public MessageRejectedException(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
