package com.securecom.client.app;

import com.securecom.protocol.groups.Change;
import com.securecom.protocol.groups.GroupId;
import com.securecom.protocol.groups.GroupState;
import com.securecom.protocol.groups.Reason;
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

  /**
   * A text to a group arrived from {@code from}, a member of it in this profile's state (or, if
   * {@code from} is this account, another of its devices sent it: {@code device} is that device,
   * else 0). No receipt is sent for it.
   *
   * @param unconfirmed as for {@link #received}
   */
  default void receivedInGroup(
      GroupState group,
      String from,
      int device,
      String id,
      String text,
      Instant sentAt,
      boolean unconfirmed) {}

  /**
   * Group {@code after} changed by {@code by}'s update (this user's own from any of its devices
   * included), as {@code change} says; {@code before} is null for a group new to this profile.
   */
  default void groupChanged(GroupState before, GroupState after, Change change, String by) {}

  /**
   * An update to group {@code group} from {@code from} was ignored for {@code reason} (the group
   * kept its state); {@code knownName} is the name this profile holds, null if it knows no such
   * group (then the update's own name, from the sender, is not repeated).
   */
  default void groupUpdateIgnored(GroupId group, String knownName, String from, Reason reason) {
    warning(
        "ignored a change to group "
            + group.hex().substring(0, Groups.MIN_PREFIX)
            + " from "
            + from
            + ": "
            + reason.code());
  }

  /**
   * A text to group {@code group} from {@code from} was not shown: this profile does not know the
   * group, or {@code from} is not a member of it here ({@code why}). Authentic, but no receipt.
   */
  default void groupTextRefused(GroupId group, String from, String why) {
    warning(
        "a message from "
            + from
            + " to group "
            + group.hex().substring(0, Groups.MIN_PREFIX)
            + " was not shown: "
            + why);
  }

  /** A relay connection opened ({@link Messenger#connect}), before the outbox is resent on it. */
  default void connected() {}

  /** The connection ended (close code as in docs/protocol.md). */
  default void disconnected(int code, String reason) {}
}
