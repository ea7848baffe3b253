package com.securecom.protocol.crypto;

import java.security.GeneralSecurityException;

/**
 * The one failure of every authenticated decryption or signature check. Its message is always
 * "decryption failed" and it carries no cause, so that callers cannot leak which check failed.
 */
public final class DecryptionFailedException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  public DecryptionFailedException() {
    super("decryption failed");
  }
}
