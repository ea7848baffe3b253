package com.securecom.server.relay;

import com.securecom.server.device.DeviceAddress;

/**
 * A device connected to this node, as the relay sees it: what the relay may do to the connection,
 * and nothing of how the connection carries it (the channel implements it). Any method may be
 * called from any thread.
 */
public interface Recipient {
  /** The authenticated device (its token's); null until the connection is authenticated. */
  DeviceAddress device();

  /** The hash of the bearer token the connection was authenticated with. */
  byte[] tokenHash();

  /** When that token's session expires, in epoch milliseconds. */
  long sessionExpiresAt();

  /**
   * A message stored for this user while it is connected: sent now, or after the catch-up running.
   */
  void offer(StoredMessage message);

  /**
   * A message not stored yet, for the fast path: sent now and true, or false (nothing sent) if the
   * connection is catching up or closed, or already holds an unacknowledged copy of the message
   * (see {@link SentCopies}).
   */
  boolean deliverNow(StoredMessage message);

  /** A receipt for a message this user sent. */
  void receipt(Receipt receipt);

  /**
   * The user's one-time prekeys run low ({@code count} left); told only once the connection takes
   * notices.
   */
  void preKeysLow(long count);

  /**
   * Another node died: the stored queue and the owed receipts are sent once more (see {@link
   * DeliveryPump}).
   */
  void recover();

  /** The same device connected again, here or on another node: this connection ends (4409). */
  void connectedElsewhere();

  /** The device was removed from its account: this connection ends (4410). */
  void deviceRemoved();

  /**
   * The account's device list changed to serial {@code serial} (a device was linked or removed):
   * the connection tells its client if it speaks relay message version 4.
   */
  void devicesChanged(long serial);

  /**
   * A device was linked to the account, whose list is now serial {@code serial}: a connection that
   * speaks relay message version 4 tells its client ({@code devicesChanged}); one below version 4
   * cannot address the new device and is closed (4426).
   */
  void deviceLinked(long serial);

  /** The session was logged out: this connection ends (4401). */
  void loggedOut();

  /** The session expired: this connection ends (4401). */
  void sessionExpired();
}
