package com.securecom.client.app;

/**
 * The registry could not answer now (no connection, 5xx, 429, or the session expired), so a message
 * that needed the sender's published identity was neither decrypted nor dropped: it stays on the
 * server, unacknowledged, and is delivered again on the next connection.
 */
final class RegistryUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RegistryUnavailableException(String peer) {
    super("could not check " + peer + "'s keys with the server now");
  }
}
