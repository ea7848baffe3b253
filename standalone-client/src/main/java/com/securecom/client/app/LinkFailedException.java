package com.securecom.client.app;

/**
 * Linking a device did not happen, and why, in words for the user (docs/protocol.md, "Linking a
 * device"): both devices are as they were before.
 */
public class LinkFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What the new device says of any message that is not exactly what its code expects. */
  public static final String DOES_NOT_MATCH =
      "the link failed: the message does not match this code";

  public LinkFailedException(String message) {
    super(message);
  }

  public LinkFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
