package com.securecom.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.Bits;
import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.crypto.X25519;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * Starting sessions: bundle checks on the initiator's side, identity and prekey checks on the
 * responder's.
 */
class X3dhTest {
  private final SecureRandom random = new SecureRandom();
  private final TestUser alice = new TestUser("alice", random);
  private final TestUser bob = new TestUser("bob", random);

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static PreKeyBundle withSignedPreKey(PreKeyBundle b, PreKeyBundle.SignedPreKey spk) {
    return new PreKeyBundle(
        b.username(),
        b.identityKey(),
        b.identityDhKey(),
        b.identityDhSignature(),
        spk,
        b.oneTimePreKey());
  }

  private static PreKeyBundle withIdentityDh(
      PreKeyBundle b, byte[] identityDhKey, byte[] signature) {
    return new PreKeyBundle(
        b.username(),
        b.identityKey(),
        identityDhKey,
        signature,
        b.signedPreKey(),
        b.oneTimePreKey());
  }

  @Test
  void signedPreKey_signatureCoversItsKeyIdAndCreationTime() {
    PreKeyBundle good = bob.bundle(true);
    PreKeyBundle.SignedPreKey spk = good.signedPreKey();
    for (PreKeyBundle.SignedPreKey moved :
        java.util.List.of(
            new PreKeyBundle.SignedPreKey(
                spk.keyId() + 1, spk.publicKey(), spk.createdAt(), spk.signature()),
            new PreKeyBundle.SignedPreKey(
                spk.keyId(), spk.publicKey(), spk.createdAt() + 1, spk.signature()),
            new PreKeyBundle.SignedPreKey(
                spk.keyId(),
                spk.publicKey(),
                spk.createdAt(),
                com.securecom.protocol.crypto.Ed25519.sign(
                    bob.identity.signingKeyPair().privateKey(), spk.publicKey())))) {
      assertThatThrownBy(
              () ->
                  Session.initiate(alice.identity, "alice", withSignedPreKey(good, moved), random))
          .isInstanceOf(UntrustedBundleException.class);
    }
  }

  @Test
  void signedPreKey_olderThan60Days_orFromTheFuture_isNotFresh() {
    PreKeyBundle good = bob.bundle(true);
    java.time.Instant made = java.time.Instant.ofEpochSecond(good.signedPreKey().createdAt());
    assertThat(good.isFresh(made)).isTrue();
    assertThat(good.isFresh(made.plus(java.time.Duration.ofDays(60)))).isTrue();
    assertThat(good.isFresh(made.plus(java.time.Duration.ofDays(60)).plusSeconds(1))).isFalse();
    assertThat(good.isFresh(made.minus(java.time.Duration.ofDays(1)))).isTrue();
    assertThat(good.isFresh(made.minus(java.time.Duration.ofDays(1)).minusSeconds(1))).isFalse();
  }

  @Test
  void everyBitOfTheSignedPreKeySignature_isChecked() {
    PreKeyBundle good = bob.bundle(true);
    byte[] signature = good.signedPreKey().signature();
    for (int bit = 0; bit < signature.length * 8; bit++) {
      PreKeyBundle bad =
          withSignedPreKey(
              good,
              new PreKeyBundle.SignedPreKey(
                  good.signedPreKey().keyId(),
                  good.signedPreKey().publicKey(),
                  good.signedPreKey().createdAt(),
                  Bits.flip(signature, bit)));
      assertThatThrownBy(() -> Session.initiate(alice.identity, "alice", bad, random))
          .isInstanceOf(UntrustedBundleException.class);
    }
  }

  @Test
  void everyBitOfTheIdentityDhSignature_isChecked() {
    PreKeyBundle good = bob.bundle(true);
    for (int bit = 0; bit < 64 * 8; bit++) {
      PreKeyBundle bad =
          withIdentityDh(good, good.identityDhKey(), Bits.flip(good.identityDhSignature(), bit));
      assertThatThrownBy(() -> Session.initiate(alice.identity, "alice", bad, random))
          .isInstanceOf(UntrustedBundleException.class);
    }
  }

  @Test
  void substitutedKeys_areRefused() {
    PreKeyBundle good = bob.bundle(true);
    X25519.KeyPair mallory = X25519.generate(random);
    // The registry swaps in its own DH identity key, or its own signed prekey, keeping Bob's
    // signatures.
    assertThatThrownBy(
            () ->
                Session.initiate(
                    alice.identity,
                    "alice",
                    withIdentityDh(good, mallory.publicKey(), good.identityDhSignature()),
                    random))
        .isInstanceOf(UntrustedBundleException.class);
    assertThatThrownBy(
            () ->
                Session.initiate(
                    alice.identity,
                    "alice",
                    withSignedPreKey(
                        good,
                        new PreKeyBundle.SignedPreKey(
                            1,
                            mallory.publicKey(),
                            good.signedPreKey().createdAt(),
                            good.signedPreKey().signature())),
                    random))
        .isInstanceOf(UntrustedBundleException.class);
    // Signed, but by someone else's identity key.
    assertThatThrownBy(
            () ->
                Session.initiate(
                    alice.identity,
                    "alice",
                    withSignedPreKey(
                        good,
                        alice.identity.signPreKey(
                            1, good.signedPreKey().createdAt(), mallory.publicKey())),
                    random))
        .isInstanceOf(UntrustedBundleException.class);
  }

  @Test
  void malformedOrSmallOrderKeys_areRefused() {
    PreKeyBundle good = bob.bundle(true);
    byte[] zero = new byte[32];
    assertThatThrownBy(
            () ->
                Session.initiate(
                    alice.identity,
                    "alice",
                    withSignedPreKey(
                        good, bob.identity.signPreKey(1, good.signedPreKey().createdAt(), zero)),
                    random))
        .isInstanceOf(UntrustedBundleException.class);
    assertThatThrownBy(
            () ->
                Session.initiate(
                    alice.identity,
                    "alice",
                    new PreKeyBundle(
                        "bob",
                        good.identityKey(),
                        good.identityDhKey(),
                        good.identityDhSignature(),
                        good.signedPreKey(),
                        new PreKeyBundle.OneTimePreKey(5, new byte[31])),
                    random))
        .isInstanceOf(UntrustedBundleException.class);
    assertThatThrownBy(
            () -> Session.initiate(alice.identity, "alice", withSignedPreKey(good, null), random))
        .isInstanceOf(UntrustedBundleException.class);
  }

  @Test
  void withoutOneTimePreKey_theSessionWorks() throws Exception {
    Session a = Session.initiate(alice.identity, "alice", bob.bundle(false), random);
    byte[] first = a.encrypt(utf8("no one-time prekey left"));

    Session.Accepted accepted =
        Session.accept(bob.identity, "bob", alice.publicIdentity(), first, bob.preKeys, random);

    assertThat(accepted.plaintext()).isEqualTo(utf8("no one-time prekey left"));
    assertThat(a.decrypt(accepted.session().encrypt(utf8("reply")))).isEqualTo(utf8("reply"));
    assertThat(accepted.session().decrypt(a.encrypt(utf8("again")))).isEqualTo(utf8("again"));
  }

  @Test
  void oneTimePreKey_isRemovedOnlyWhenTheFirstMessageAuthenticates() throws Exception {
    PreKeyBundle bundle = bob.bundle(true);
    long opkId = bundle.oneTimePreKey().keyId();
    Session a = Session.initiate(alice.identity, "alice", bundle, random);
    byte[] first = a.encrypt(utf8("hello"));
    byte[] forged = Bits.flip(first, first.length * 8 - 1);

    assertThatThrownBy(
            () ->
                Session.accept(
                    bob.identity, "bob", alice.publicIdentity(), forged, bob.preKeys, random))
        .isInstanceOf(DecryptionFailedException.class);
    assertThat(bob.preKeys.oneTime).containsKey(opkId);

    Session.accept(bob.identity, "bob", alice.publicIdentity(), first, bob.preKeys, random);
    assertThat(bob.preKeys.oneTime).doesNotContainKey(opkId);
    // Single use: the same X3DH cannot be completed twice.
    assertThatThrownBy(
            () ->
                Session.accept(
                    bob.identity, "bob", alice.publicIdentity(), first, bob.preKeys, random))
        .isInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void responder_refusesASenderWhoseIdentityDoesNotMatch() throws Exception {
    byte[] first =
        Session.initiate(alice.identity, "alice", bob.bundle(true), random).encrypt(utf8("hi"));
    TestUser mallory = new TestUser("mallory", random);
    PeerIdentity real = alice.publicIdentity();
    PeerIdentity[] wrong = {
      mallory.publicIdentity(),
      new PeerIdentity(
          "alice",
          real.identityKey(),
          mallory.identity.identityDhKey(),
          real.identityDhSignature()),
      new PeerIdentity(
          "alice",
          real.identityKey(),
          real.identityDhKey(),
          Bits.flip(real.identityDhSignature(), 9)),
      // The relay says the message is from mallory: the associated data then names the wrong user.
      new PeerIdentity(
          "mallory", real.identityKey(), real.identityDhKey(), real.identityDhSignature()),
    };
    for (PeerIdentity sender : wrong) {
      assertThatThrownBy(
              () -> Session.accept(bob.identity, "bob", sender, first, bob.preKeys, random))
          .isInstanceOf(DecryptionFailedException.class)
          .hasMessage("decryption failed");
    }
  }

  @Test
  void responder_refusesUnknownPreKeyIdsAndNormalMessages() throws Exception {
    Session a = Session.initiate(alice.identity, "alice", bob.bundle(true), random);
    byte[] first = a.encrypt(utf8("hi"));
    InMemoryPreKeyStore empty = new InMemoryPreKeyStore();
    InMemoryPreKeyStore onlySigned = new InMemoryPreKeyStore();
    onlySigned.signed.putAll(bob.preKeys.signed);

    assertThatThrownBy(
            () -> Session.accept(bob.identity, "bob", alice.publicIdentity(), first, empty, random))
        .isInstanceOf(DecryptionFailedException.class);
    assertThatThrownBy(
            () ->
                Session.accept(
                    bob.identity, "bob", alice.publicIdentity(), first, onlySigned, random))
        .isInstanceOf(DecryptionFailedException.class);

    Session b =
        Session.accept(bob.identity, "bob", alice.publicIdentity(), first, bob.preKeys, random)
            .session();
    byte[] normal = b.encrypt(utf8("a normal message"));
    assertThatThrownBy(
            () ->
                Session.accept(
                    alice.identity, "alice", bob.publicIdentity(), normal, alice.preKeys, random))
        .isInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void wrongResponderName_failsToDecrypt() throws Exception {
    byte[] first =
        Session.initiate(alice.identity, "alice", bob.bundle(true), random).encrypt(utf8("hi"));
    assertThatThrownBy(
            () ->
                Session.accept(
                    bob.identity, "bobby", alice.publicIdentity(), first, bob.preKeys, random))
        .isInstanceOf(DecryptionFailedException.class);
  }
}
