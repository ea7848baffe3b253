package com.securecom.client.store;

/**
 * A new passphrase was refused by {@link PassphrasePolicy}. The message says why and what to do
 * instead; it never contains the passphrase.
 */
public final class WeakPassphraseException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public WeakPassphraseException(String message) {
    super(message);
  }
}
