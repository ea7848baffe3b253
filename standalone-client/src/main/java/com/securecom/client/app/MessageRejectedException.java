package com.securecom.client.app;

import com.securecom.protocol.wire.ErrorCodes;
import com.securecom.protocol.wire.WireMessage;

/** The relay refused a message ({@code code} is its error code, e.g. "unknown_recipient"). */
public class MessageRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * The client's own code (never a server's) for a send it gave up: the server insists on a device
   * of the recipient (or of this account) that no list the identity key signed names.
   */
  public static final String UNSIGNED_DEVICE = "unsigned_device";

  private final String code;

  public MessageRejectedException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** The relay's {@code error} about a message, said as {@link #explain} says it. */
  static MessageRejectedException of(WireMessage.Error error) {
    return new MessageRejectedException(error.code(), explain(error.code(), error.message()));
  }

  /**
   * What the user is told about a message refused with {@code code}: the client's own words where
   * the fix is on the user's side of the client (docs/protocol.md, "What the client does"), else
   * the server's {@code message}. Either way the message is not sent again (it left the outbox).
   */
  static String explain(String code, String serverMessage) {
    if (ErrorCodes.UPGRADE_REQUIRED.equals(code)) {
      return "the recipient (or your own account) has linked devices, which this version of"
          + " securecom cannot send to; install a securecom that speaks relay version 4";
    }
    return serverMessage;
  }

  public String code() {
    return code;
  }
}
