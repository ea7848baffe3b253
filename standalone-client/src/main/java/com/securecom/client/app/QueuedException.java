package com.securecom.client.app;

/**
 * A text was encrypted and saved in the outbox, but the server has not accepted it (the connection
 * is down or ended first): it is resent, same id, on the next connection of any command, so it is
 * neither lost nor stored twice.
 */
public final class QueuedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;
  private final String id;

  QueuedException(String id, String why, Throwable cause) {
    super(why + " (it stays in the outbox and is resent on the next connection)", cause);
    this.id = id;
  }

  /** The message id, as a receipt will name it. */
  public String id() {
    return id;
  }
}
