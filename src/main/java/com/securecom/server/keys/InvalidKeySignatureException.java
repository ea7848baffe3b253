package com.securecom.server.keys;

/** A published key whose signature is not the user's identity key's; {@link #field()} names it. */
public class InvalidKeySignatureException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String field;

  private InvalidKeySignatureException(String field, String message) {
    super(message);
    this.field = field;
  }

  static InvalidKeySignatureException signedPreKey() {
    return new InvalidKeySignatureException(
        "signedPreKey.signature",
        "signedPreKey.signature is not a valid Ed25519 signature by the identity key over the prekey");
  }

  /** A signed device list whose signature is not the account's identity key's. */
  public static InvalidKeySignatureException deviceList() {
    return new InvalidKeySignatureException(
        "deviceList.signature",
        "deviceList.signature is not a valid Ed25519 signature by the account's identity key over"
            + " deviceList.body");
  }

  static InvalidKeySignatureException identityDhKey() {
    return new InvalidKeySignatureException(
        "identityDhKey.signature",
        "identityDhKey.signature is not a valid Ed25519 signature by the identity key over the identity DH key");
  }

  /**
   * The same failure for a request that names the field otherwise (the signed prekey alone is the
   * whole body).
   */
  public InvalidKeySignatureException at(String otherField) {
    return new InvalidKeySignatureException(otherField, getMessage().replace(field, otherField));
  }

  public String field() {
    return field;
  }
}
