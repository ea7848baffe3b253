package com.securecom.client.store;

import java.security.GeneralSecurityException;

/**
 * The one failure of opening a profile's encrypted state: a wrong passphrase, a changed bit in
 * {@code state.bin} or {@code profile.json}, a truncated file or an unreadable header. The message
 * is always "wrong passphrase or damaged profile" and there is no cause, so that nothing tells
 * which check failed.
 */
public final class WrongPassphraseException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  public WrongPassphraseException() {
    super("wrong passphrase or damaged profile");
  }
}
