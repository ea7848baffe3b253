package com.securecom.client.e2e;

/**
 * The message's key was used already: it is a repeated delivery of a message this session decrypted
 * before (the relay delivers at least once). Local bookkeeping, decided from the plaintext header
 * before any decryption, so it tells nobody anything secret. Acknowledge the message again and do
 * not show it twice. The session is unchanged.
 */
public final class DuplicateMessageException extends Exception {
  private static final long serialVersionUID = 1L;

  public DuplicateMessageException() {
    super("duplicate message");
  }
}
