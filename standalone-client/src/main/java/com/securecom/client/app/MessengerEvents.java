package com.securecom.client.app;

import java.time.Instant;

/**
 * What the {@link Messenger} tells its user interface. Called on the connection's thread, in order.
 */
public interface MessengerEvents {
  /**
   * A text arrived and decrypted.
   *
   * @param unconfirmed true if it authenticated under a new identity key of {@code from} that the
   *     user has not verified or accepted yet (a new registration, or a misbehaving server): show
   *     it marked as such
   */
  void received(String from, String id, String text, Instant sentAt, boolean unconfirmed);

  /**
   * Another device of this account ({@code device}) sent {@code text} to {@code to} as message
   * {@code id} (a sent transcript); receipts about it may follow ({@link #sentStateChanged}).
   */
  default void sentFromOtherDevice(String to, String id, String text, Instant sentAt, int device) {}

  /** A text of this user's, saved in the outbox as {@code id}, is about to go to the relay. */
  default void sending(String to, String id, String text) {}

  /**
   * A text this user sent moved forward ({@link SentState}): {@code DELIVERED} and {@code READ}
   * come from the recipient's client inside the session, {@code REACHED} only from the server.
   */
  void sentStateChanged(String to, String id, SentState state);

  /** Something the user must see: an identity change, a message that could not be read. */
  void warning(String text);

  /**
   * Something from {@code from} arrived and was left on the server, unread, because this run
   * handles only another user's messages ({@link Messenger#receiveOnlyFrom}); it is delivered again
   * on the next connection.
   */
  default void leftQueued(String from) {}

  /** A relay connection opened ({@link Messenger#connect}), before the outbox is resent on it. */
  default void connected() {}

  /** The connection ended (close code as in docs/protocol.md). */
  default void disconnected(int code, String reason) {}
}
