package com.securecom.server.relay;

import com.securecom.protocol.wire.WireMessage;

/** Where the relay answers one client frame. */
@FunctionalInterface
public interface Reply {
  /** The whole answer. */
  void answer(WireMessage message);

  /**
   * The answer to a {@code send} whose recipient acknowledged it before it was stored ({@link
   * FastPath}): its receipt, which the server holds nowhere else (so the sender's {@code
   * receiptAck} for it has nothing to forget), then {@code accepted}. The receipt goes first: it
   * answers the {@code send} too, so a connection lost between the two frames leaves the sender
   * with the receipt (nothing to resend, nothing owed) rather than with an {@code accepted} whose
   * receipt no one can ever send again.
   */
  default void deliveredThenAccepted(WireMessage.Delivered receipt, WireMessage.Accepted accepted) {
    answer(receipt);
    answer(accepted);
  }
}
