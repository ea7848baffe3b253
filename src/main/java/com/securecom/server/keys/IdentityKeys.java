package com.securecom.server.keys;

import com.securecom.protocol.crypto.KeySignatures;

/**
 * A user's published identity: the Ed25519 key that signs (and that safety numbers are made of) and
 * the X25519 identity DH key used in X3DH, with the Ed25519 key's signature over it.
 */
public record IdentityKeys(byte[] signingKey, byte[] dhKey, byte[] dhSignature) {
  public boolean dhKeyIsSigned() {
    return KeySignatures.isIdentityDhKey(signingKey, dhKey, dhSignature);
  }
}
