package com.securecom.client.e2e;

/**
 * The message's key was skipped and later evicted for room (more than {@link
 * SessionState#MAX_SKIPPED_KEYS} keys were skipped before it arrived), so it can no longer be read.
 * Decided from the plaintext header before any decryption: it reveals nothing secret. Acknowledge
 * it and tell the user that a message arrived too late to be read; unlike a {@link
 * DuplicateMessageException}, the user never saw it. The session is unchanged.
 */
public final class LateMessageException extends Exception {
  private static final long serialVersionUID = 1L;

  public LateMessageException() {
    super("message arrived after its key was discarded");
  }
}
