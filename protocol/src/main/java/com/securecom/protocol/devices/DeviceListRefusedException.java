package com.securecom.protocol.devices;

/**
 * A signed device list that does not verify for the account it is served for: {@link #reason()} is
 * one of {@link Refusal#BAD_SIGNATURE}, {@link Refusal#MALFORMED}, {@link Refusal#WRONG_USERNAME}
 * or {@link Refusal#WRONG_IDENTITY}. The message says which rule, never anything secret (a list is
 * public).
 */
public final class DeviceListRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Refusal reason;

  public DeviceListRefusedException(Refusal reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Refusal reason() {
    return reason;
  }
}
