package com.securecom.client.app;

/** A verified peer's identity key changed: nothing is sent until the user compares safety numbers again. */
public class UntrustedIdentityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UntrustedIdentityException(String peer) {
    super("the identity key of " + peer + " changed since you verified it: compare safety numbers"
        + " ('securecom fingerprint " + peer + "') and run 'securecom verify " + peer + "' before sending");
  }
}
