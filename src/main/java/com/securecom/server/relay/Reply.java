package com.securecom.server.relay;

import com.securecom.protocol.wire.WireMessage;
import com.securecom.server.device.DeviceAddress;

/** Where the relay answers one client frame. */
@FunctionalInterface
public interface Reply {
  /** The whole answer. */
  void answer(WireMessage message);

  /**
   * The answer to a {@code send} whose recipient acknowledged it before it was stored ({@link
   * FastPath}), so the server holds nothing of it. On a relay version 3 connection this is one
   * {@code relayed}, which needs no {@code receiptAck}. On older ones it is the receipt, then
   * {@code accepted}: the receipt goes first because it answers the {@code send} too, so a
   * connection lost between the two frames leaves the sender with the receipt (nothing to resend,
   * nothing owed) rather than with an {@code accepted} whose receipt no one can ever send again.
   * This default writes the version 1 and 2 pair.
   */
  default void relayed(String id, DeviceAddress to) {
    answer(new WireMessage.Delivered(id, to.username()));
    answer(new WireMessage.Accepted(id));
  }
}
