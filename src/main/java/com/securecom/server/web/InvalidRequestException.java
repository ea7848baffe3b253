package com.securecom.server.web;

/**
 * A request that breaks the API's rules; {@code field} names the JSON field at fault (or null for
 * the body).
 */
public class InvalidRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public InvalidRequestException(String field, String detail) {
    super(detail);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
