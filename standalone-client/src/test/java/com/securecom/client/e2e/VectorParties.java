package com.securecom.client.e2e;

import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.X25519;

/**
 * Alice and Bob of the published vectors: fixed names, identities and prekeys (see {@link
 * VectorKeys}).
 */
final class VectorParties {
  static final String ALICE = "alice";
  static final String BOB = "bob";
  static final long SIGNED_PREKEY_ID = 1;
  static final long ONE_TIME_PREKEY_ID = 42;

  /** When Bob's signed prekey was made: 2025-01-01T12:00:00Z, in seconds. */
  static final long SIGNED_PREKEY_CREATED_AT = 1_735_732_800L;

  static final Ed25519.KeyPair ALICE_IDENTITY = VectorKeys.ed25519("alice identity key");
  static final X25519.KeyPair ALICE_IDENTITY_DH = VectorKeys.x25519("alice identity DH key");
  static final X25519.KeyPair ALICE_EPHEMERAL = VectorKeys.x25519("alice ephemeral key");
  static final Ed25519.KeyPair BOB_IDENTITY = VectorKeys.ed25519("bob identity key");
  static final X25519.KeyPair BOB_IDENTITY_DH = VectorKeys.x25519("bob identity DH key");
  static final X25519.KeyPair BOB_SIGNED_PREKEY = VectorKeys.x25519("bob signed prekey 1");
  static final X25519.KeyPair BOB_ONE_TIME_PREKEY = VectorKeys.x25519("bob one-time prekey 42");

  private VectorParties() {}

  static LocalIdentity alice() {
    return new LocalIdentity(ALICE_IDENTITY, ALICE_IDENTITY_DH);
  }

  static LocalIdentity bob() {
    return new LocalIdentity(BOB_IDENTITY, BOB_IDENTITY_DH);
  }

  static PreKeyBundle bobBundle(boolean withOneTimePreKey) {
    return new PreKeyBundle(
        BOB,
        BOB_IDENTITY.publicKey(),
        BOB_IDENTITY_DH.publicKey(),
        Documented.identityDhSignature(BOB_IDENTITY, BOB_IDENTITY_DH.publicKey()),
        new PreKeyBundle.SignedPreKey(
            SIGNED_PREKEY_ID,
            BOB_SIGNED_PREKEY.publicKey(),
            SIGNED_PREKEY_CREATED_AT,
            Documented.signedPreKeySignature(
                BOB_IDENTITY,
                SIGNED_PREKEY_ID,
                SIGNED_PREKEY_CREATED_AT,
                BOB_SIGNED_PREKEY.publicKey())),
        withOneTimePreKey
            ? new PreKeyBundle.OneTimePreKey(ONE_TIME_PREKEY_ID, BOB_ONE_TIME_PREKEY.publicKey())
            : null);
  }

  static InMemoryPreKeyStore bobPreKeys() {
    InMemoryPreKeyStore store = new InMemoryPreKeyStore();
    store.signed.put(SIGNED_PREKEY_ID, BOB_SIGNED_PREKEY);
    store.oneTime.put(ONE_TIME_PREKEY_ID, BOB_ONE_TIME_PREKEY);
    return store;
  }
}
