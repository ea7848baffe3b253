package com.securecom.client.net;

/**
 * A server address this client refuses before sending anything: plain {@code http://} or {@code
 * ws://} to a host that is not this machine, where passwords and bearer tokens would cross the
 * network in the clear.
 */
public class InsecureTransportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InsecureTransportException(String detail) {
    super(detail);
  }
}
