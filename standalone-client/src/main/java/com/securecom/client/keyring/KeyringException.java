package com.securecom.client.keyring;

import java.io.IOException;

/**
 * The OS keyring is missing, refused a request, or lacks an entry that should be there. Never holds
 * a secret.
 */
public class KeyringException extends IOException {
  private static final long serialVersionUID = 1L;

  public KeyringException(String message) {
    super(message);
  }
}
