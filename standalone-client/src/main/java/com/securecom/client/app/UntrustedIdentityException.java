package com.securecom.client.app;

/**
 * Nothing is sent to a peer whose identity is not settled: a new identity is pending, or keys do
 * not verify.
 */
public class UntrustedIdentityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UntrustedIdentityException(String message) {
    super(message);
  }

  /**
   * A message came from another identity key of {@code peer} than the pinned one; the user must
   * decide.
   */
  static UntrustedIdentityException pending(String peer, boolean verified) {
    return new UntrustedIdentityException(
        peer
            + " has a NEW identity key (a new registration, or a misbehaving"
            + " server): nothing is sent until you "
            + (verified
                ? "compare the new safety number ('securecom fingerprint "
                    + peer
                    + "') and run 'securecom verify "
                    + peer
                    + "'"
                : "compare the new safety number and run 'securecom verify "
                    + peer
                    + "', or accept it unverified with"
                    + " 'securecom accept "
                    + peer
                    + "'"));
  }

  /**
   * The registry offers keys for {@code peer} that are not the pinned identity, and there is no
   * session to use.
   */
  static UntrustedIdentityException notPinned(String peer) {
    return new UntrustedIdentityException(
        "the server offers keys for "
            + peer
            + " that are not the identity you"
            + " pinned; nothing was sent. If "
            + peer
            + " registered again, ask them to message you first, then verify"
            + " the new safety number.");
  }

  /**
   * The server offered a signed prekey of {@code peer} older than clients accept (or from the
   * future): one its owner may have rotated away, so nothing is encrypted to it.
   */
  static UntrustedIdentityException staleSignedPreKey(String peer) {
    return new UntrustedIdentityException(
        "the server offered an outdated signed prekey for "
            + peer
            + " (more than "
            + com.securecom.client.e2e.PreKeyBundle.MAX_SIGNED_PREKEY_AGE.toDays()
            + " days old, or dated in the future);"
            + " nothing was sent. "
            + peer
            + "'s client renews it when it next connects.");
  }

  /** The keys the server sent for {@code peer} do not verify. */
  static UntrustedIdentityException invalid(String peer) {
    return new UntrustedIdentityException(
        "the server sent keys for " + peer + " that do not verify; nothing was" + " sent");
  }
}
