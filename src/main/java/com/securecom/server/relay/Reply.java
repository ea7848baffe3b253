package com.securecom.server.relay;

import com.securecom.protocol.wire.WireMessage;

/** Where the relay answers one client frame. */
@FunctionalInterface
public interface Reply {
  /** The whole answer. */
  void answer(WireMessage message);

  /**
   * The answer to a {@code send} whose recipient acknowledged it before it was stored ({@link
   * FastPath}): {@code accepted}, then its receipt, which the server holds nowhere else (so the
   * sender's {@code receiptAck} for it has nothing to forget).
   */
  default void acceptedAndDelivered(WireMessage.Accepted accepted, WireMessage.Delivered receipt) {
    answer(accepted);
    answer(receipt);
  }
}
