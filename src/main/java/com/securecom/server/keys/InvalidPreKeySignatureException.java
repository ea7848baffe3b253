package com.securecom.server.keys;

/** A signed prekey whose signature is not the user's identity key's. */
public class InvalidPreKeySignatureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidPreKeySignatureException() {
    super("signedPreKey.signature is not a valid Ed25519 signature by the identity key over the prekey");
  }
}
