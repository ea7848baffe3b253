package com.securecom.client.app;

import java.time.Instant;

/** What the {@link Messenger} tells its user interface. Called on the connection's thread, in order. */
public interface MessengerEvents {
  /** A message arrived and decrypted. */
  void received(String from, String id, String text, Instant sentAt);

  /** The recipient acknowledged a message this user sent. */
  void delivered(String to, String id);

  /** Something the user must see: an identity change, a message that did not decrypt. */
  void warning(String text);

  /** The connection ended (close code as in docs/protocol.md). */
  default void disconnected(int code, String reason) {}
}
