package com.securecom.server.relay;

import com.securecom.server.device.DeviceAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The messages one connection was sent and its client has not acknowledged yet, each with the way
 * it went: stored first, or on the fast path before any store. A client may hold one (sender, id)
 * both ways at once (the sender resent a message that was stored before a crash, and the recipient
 * has the stored copy from its catch-up), and its one {@code ack} must then reach the database: a
 * fast-path window must not swallow the acknowledgement of a stored row, or the row would stay
 * queued and be delivered again on every connection until it expires. This class keeps one entry
 * per (sending device, id), marked stored once either copy was, and tells {@link
 * RelayService#acknowledge} which copy an {@code ack} answers.
 *
 * <p>A connection sends each (sender, id) at most once while it is unacknowledged. Thread-safe.
 */
public final class SentCopies {
  /**
   * What a connection had sent under the (sender, id) its client acknowledged.
   *
   * @param envelopeBytes the envelope's size, or -1 if this connection never sent it
   * @param beforeStore true only if the one copy it sent went on the fast path, never stored
   */
  public record Copy(int envelopeBytes, boolean beforeStore) {
    /** An {@code ack} of something this connection did not send (or already saw acknowledged). */
    public static final Copy NOT_SENT_HERE = new Copy(-1, false);
  }

  private final Map<String, Copy> unacknowledged = new ConcurrentHashMap<>();

  /**
   * The sending device of each unacknowledged (sending user, id): an {@code ack} below relay
   * message version 4 names the user only, and a user with linked devices may have sent from any.
   */
  private final Map<String, Integer> sendingDevices = new ConcurrentHashMap<>();

  /**
   * A stored message is to go out: true if the connection should send it; false if the client
   * already has it (then, if that was the fast path's copy, it now counts as stored).
   */
  public boolean sendStored(StoredMessage message) {
    Copy stored = new Copy(message.envelope().length, false);
    sendingDevices.put(byUser(message.sender(), message.id()), message.senderDevice());
    boolean[] send = {false};
    unacknowledged.compute(
        message.key(),
        (key, held) -> {
          send[0] = held == null;
          return stored;
        });
    return send[0];
  }

  /**
   * A message on the fast path is to go out: true if the connection should send it; false (nothing
   * recorded) if the client already has a copy it has not acknowledged, so that the fast path is
   * not taken and the {@code ack} to come goes to the database.
   */
  public boolean sendBeforeStore(StoredMessage message) {
    boolean send =
        unacknowledged.putIfAbsent(message.key(), new Copy(message.envelope().length, true))
            == null;
    if (send) {
      sendingDevices.put(byUser(message.sender(), message.id()), message.senderDevice());
    }
    return send;
  }

  /**
   * The device of {@code username} that sent the unacknowledged message {@code id} this connection
   * delivered, for an {@code ack} that names no device (below relay message version 4); device 1 if
   * the connection holds none (a copy sent on an earlier connection: if it came from another
   * device, it stays queued and is acknowledged the next time it is delivered).
   */
  public DeviceAddress senderOf(String username, String id) {
    Integer device = sendingDevices.get(byUser(username, id));
    return device == null ? DeviceAddress.first(username) : new DeviceAddress(username, device);
  }

  private static String byUser(String username, String id) {
    return username + '\u0000' + id;
  }

  /**
   * The client acknowledged (sending device, id): what this connection had sent under it, forgotten
   * now.
   */
  public Copy acknowledged(DeviceAddress sender, String id) {
    Copy copy = unacknowledged.remove(StoredMessage.key(sender.username(), sender.deviceId(), id));
    sendingDevices.remove(byUser(sender.username(), id), sender.deviceId());
    return copy == null ? Copy.NOT_SENT_HERE : copy;
  }
}
