package com.securecom.protocol.channel;

/**
 * A failure that ends a channel, with the WebSocket close code to end it with and a reason safe to
 * send.
 */
public final class ChannelException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int closeCode;

  public ChannelException(int closeCode, String reason) {
    super(reason);
    this.closeCode = closeCode;
  }

  public int closeCode() {
    return closeCode;
  }
}
