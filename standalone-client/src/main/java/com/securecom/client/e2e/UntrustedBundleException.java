package com.securecom.client.e2e;

/**
 * A prekey bundle from the registry is not signed by the identity key it names: its identity DH key
 * signature or its signed prekey signature does not verify (or a key has the wrong length). No
 * session is started; the registry is serving forged or corrupted keys.
 */
public final class UntrustedBundleException extends Exception {
  private static final long serialVersionUID = 1L;

  public UntrustedBundleException() {
    super("prekey bundle signature does not verify");
  }
}
