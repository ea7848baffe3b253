package com.securecom.protocol.devices;

/**
 * Bytes that are not a well-formed device list body (docs/protocol.md, "Device lists"). The message
 * names the first rule broken; a list is public data, so saying which is no leak.
 */
public final class MalformedDeviceListException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedDeviceListException(String message) {
    super(message);
  }
}
