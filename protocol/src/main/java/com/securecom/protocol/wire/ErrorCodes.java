package com.securecom.protocol.wire;

import java.util.List;

/**
 * The {@code code}s of the relay's {@link WireMessage.Error}, as documented in docs/protocol.md
 * ("The server's error codes for a {@code send}"). A client must expect codes it does not know:
 * later servers may add some.
 */
public final class ErrorCodes {
  /** {@code to} is not a valid username, or is the sender itself. */
  public static final String INVALID_RECIPIENT = "invalid_recipient";

  /** No account is called {@code to}. */
  public static final String UNKNOWN_RECIPIENT = "unknown_recipient";

  /** {@code envelope} is not canonical padded standard base64, or is empty. */
  public static final String INVALID_ENVELOPE = "invalid_envelope";

  /** The decoded envelope is larger than the server allows. */
  public static final String ENVELOPE_TOO_LARGE = "envelope_too_large";

  /** The sender's {@code id} names another message the server still holds. */
  public static final String ID_REUSED = "id_reused";

  /** This sender's share of the recipient's queue is used up. */
  public static final String SENDER_SHARE_FULL = "sender_share_full";

  /** This sender has as many messages held in all queues as the server allows one sender. */
  public static final String SENDER_QUOTA_FULL = "sender_quota_full";

  /** The recipient's queue is full. */
  public static final String QUEUE_FULL = "queue_full";

  /** The server could not store the message; nothing was stored. */
  public static final String UNAVAILABLE = "unavailable";

  /**
   * Version 4: the copies of a {@code send} break a rule of the set (more copies than the server
   * allows, a repeated {@code (to, device)}, a copy to the sending device, more than one user
   * besides the sender, or copies only to the sender's own account while it has no other device;
   * {@link com.securecom.protocol.devices.Fanout} decides).
   */
  public static final String INVALID_COPIES = "invalid_copies";

  /**
   * Version 4: for some user named, the copies' devices are not that user's current device set; the
   * error's {@code devices} names each such user's serial and current ids.
   */
  public static final String STALE_DEVICES = "stale_devices";

  /**
   * A version 1 to 3 {@code send} to a user with more than one device, or from an account with more
   * than one device: the sender needs a version 4 client.
   */
  public static final String UPGRADE_REQUIRED = "upgrade_required";

  /** Every code, in the order of the document's table. */
  public static final List<String> ALL =
      List.of(
          INVALID_RECIPIENT,
          UNKNOWN_RECIPIENT,
          INVALID_ENVELOPE,
          ENVELOPE_TOO_LARGE,
          ID_REUSED,
          SENDER_SHARE_FULL,
          SENDER_QUOTA_FULL,
          QUEUE_FULL,
          UNAVAILABLE,
          INVALID_COPIES,
          STALE_DEVICES,
          UPGRADE_REQUIRED);

  private ErrorCodes() {}
}
