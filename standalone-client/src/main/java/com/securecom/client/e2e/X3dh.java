package com.securecom.client.e2e;

import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.crypto.X25519;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * X3DH (Marlinspike and Perrin, "The X3DH Key Agreement Protocol") with separate identity keys for
 * signing (Ed25519) and for DH (X25519):
 *
 * <pre>
 * DH1 = X25519(IKdh_A, SPK_B)   DH2 = X25519(EK_A, IKdh_B)   DH3 = X25519(EK_A, SPK_B)   DH4 = X25519(EK_A, OPK_B)
 * SK  = HKDF-SHA256(ikm = 0xFF*32 || DH1 || DH2 || DH3 [|| DH4], salt = 0x00*32, info = "SecureCom X3DH v1", 32)
 * </pre>
 *
 * Both results are sessions initialised for the Double Ratchet; SK itself is not kept.
 */
public final class X3dh {
  private X3dh() {}

  /** A new initiator session and the prekey header its first messages carry. */
  public record Initiation(SessionState state, PreKeyHeader header) {}

  /**
   * Starts a session with the owner of {@code theirs}, after checking both of its signatures.
   *
   * @throws UntrustedBundleException if a signature does not verify or a key is malformed or of
   *     small order
   */
  public static Initiation initiate(
      LocalIdentity me, String myName, PreKeyBundle theirs, SecureRandom random)
      throws UntrustedBundleException {
    return initiate(me, myName, theirs, KeySource.from(random));
  }

  /**
   * As above, with the ephemeral key and then the first ratchet key taken from {@code keys}, in
   * that order.
   */
  static Initiation initiate(LocalIdentity me, String myName, PreKeyBundle theirs, KeySource keys)
      throws UntrustedBundleException {
    theirs.verify();
    X25519.KeyPair ephemeral = keys.next();
    byte[] spk = theirs.signedPreKey().publicKey();
    PreKeyBundle.OneTimePreKey opk = theirs.oneTimePreKey();
    PreKeyHeader header =
        new PreKeyHeader(
            me.identityKey(),
            me.identityDhKey(),
            ephemeral.publicKey(),
            theirs.signedPreKey().keyId(),
            opk == null ? OptionalLong.empty() : OptionalLong.of(opk.keyId()));
    SessionState state =
        new SessionState(
            SessionState.Role.INITIATOR,
            myName,
            me.identityKey(),
            me.identityDhKey(),
            theirs.username(),
            theirs.identityKey(),
            theirs.identityDhKey(),
            header);
    state.awaitingReply = true;
    try {
      byte[] sk =
          opk == null
              ? Kdf.x3dh(
                  X25519.agree(me.dhKeyPair().privateKey(), spk),
                  X25519.agree(ephemeral.privateKey(), theirs.identityDhKey()),
                  X25519.agree(ephemeral.privateKey(), spk))
              : Kdf.x3dh(
                  X25519.agree(me.dhKeyPair().privateKey(), spk),
                  X25519.agree(ephemeral.privateKey(), theirs.identityDhKey()),
                  X25519.agree(ephemeral.privateKey(), spk),
                  X25519.agree(ephemeral.privateKey(), opk.publicKey()));
      DoubleRatchet.initInitiator(state, sk, spk, keys);
    } catch (DecryptionFailedException smallOrderKey) {
      throw new UntrustedBundleException();
    }
    return new Initiation(state, header);
  }

  /**
   * Completes X3DH as the responder from a PreKey message's header. Nothing is deleted here: {@link
   * Session#accept} removes the one-time prekey once the first message has authenticated.
   *
   * @param initiator the sender's published identity, from the registry or a pinned contact: its
   *     identity DH key signature is what binds the header's DH identity key to its identity key,
   *     and the header's keys must equal these
   * @throws DecryptionFailedException if the identity does not verify or differ from the header's,
   *     a prekey id is unknown, or a key is of small order
   */
  public static SessionState respond(
      LocalIdentity me,
      String myName,
      PeerIdentity initiator,
      PreKeyHeader header,
      PreKeyStore preKeys)
      throws DecryptionFailedException {
    if (!initiator.isSelfConsistent()
        || !Arrays.equals(initiator.identityKey(), header.identityKey())
        || !Arrays.equals(initiator.identityDhKey(), header.identityDhKey())) {
      throw new DecryptionFailedException();
    }
    X25519.KeyPair spk =
        preKeys.signedPreKey(header.signedPreKeyId()).orElseThrow(DecryptionFailedException::new);
    byte[] dh1 = X25519.agree(spk.privateKey(), header.identityDhKey());
    byte[] dh2 = X25519.agree(me.dhKeyPair().privateKey(), header.baseKey());
    byte[] dh3 = X25519.agree(spk.privateKey(), header.baseKey());
    byte[] sk;
    if (header.oneTimePreKeyId().isPresent()) {
      X25519.KeyPair opk =
          preKeys
              .oneTimePreKey(header.oneTimePreKeyId().getAsLong())
              .orElseThrow(DecryptionFailedException::new);
      sk = Kdf.x3dh(dh1, dh2, dh3, X25519.agree(opk.privateKey(), header.baseKey()));
    } else {
      sk = Kdf.x3dh(dh1, dh2, dh3);
    }
    SessionState state =
        new SessionState(
            SessionState.Role.RESPONDER,
            myName,
            me.identityKey(),
            me.identityDhKey(),
            initiator.username(),
            header.identityKey(),
            header.identityDhKey(),
            header);
    DoubleRatchet.initResponder(state, sk, spk);
    return state;
  }
}
