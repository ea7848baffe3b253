package com.securecom.client.e2e;

import static com.securecom.protocol.vectors.VectorFiles.hex;
import static com.securecom.protocol.vectors.VectorFiles.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.vectors.VectorFiles;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The implementation reproduces {@code /vectors/x3dh.json} from the private keys it publishes. */
class X3dhVectorsTest {
  static final JsonObject FILE = VectorFiles.load("/vectors/x3dh.json");
  static final JsonObject ALICE = FILE.getJsonObject("alice");
  static final JsonObject BOB = FILE.getJsonObject("bob");

  static Ed25519.KeyPair ed(JsonObject pair) {
    byte[] priv = unhex(pair.getString("privateKey"));
    assertThat(hex(Ed25519.publicKey(priv))).isEqualTo(pair.getString("publicKey"));
    return new Ed25519.KeyPair(priv, unhex(pair.getString("publicKey")));
  }

  static X25519.KeyPair x(JsonObject pair) {
    byte[] priv = unhex(pair.getString("privateKey"));
    assertThat(hex(X25519.publicKey(priv))).isEqualTo(pair.getString("publicKey"));
    return new X25519.KeyPair(priv, unhex(pair.getString("publicKey")));
  }

  static LocalIdentity alice() {
    return new LocalIdentity(
        ed(ALICE.getJsonObject("identityKey")), x(ALICE.getJsonObject("identityDhKey")));
  }

  static LocalIdentity bob() {
    return new LocalIdentity(
        ed(BOB.getJsonObject("identityKey")), x(BOB.getJsonObject("identityDhKey")));
  }

  static InMemoryPreKeyStore bobPreKeys() {
    InMemoryPreKeyStore store = new InMemoryPreKeyStore();
    JsonObject spk = BOB.getJsonObject("signedPreKey");
    JsonObject opk = BOB.getJsonObject("oneTimePreKey");
    store.signed.put(spk.getJsonNumber("keyId").longValueExact(), x(spk));
    store.oneTime.put(opk.getJsonNumber("keyId").longValueExact(), x(opk));
    return store;
  }

  static Stream<Arguments> cases() {
    return FILE.getJsonArray("cases").getValuesAs(JsonObject.class).stream()
        .map(c -> Arguments.of(c.getString("name"), c));
  }

  static Stream<Arguments> refusedBundles() {
    return FILE.getJsonArray("refusedBundles").getValuesAs(JsonObject.class).stream()
        .map(c -> Arguments.of(c.getString("name"), c));
  }

  @Test
  void signatures_areTheIdentitiesOwn() {
    assertThat(hex(alice().identityDhSignature()))
        .isEqualTo(ALICE.getString("identityDhSignature"));
    assertThat(hex(bob().identityDhSignature())).isEqualTo(BOB.getString("identityDhSignature"));
    JsonObject spk = BOB.getJsonObject("signedPreKey");
    assertThat(
            hex(
                bob()
                    .signPreKey(
                        spk.getJsonNumber("keyId").longValueExact(),
                        spk.getJsonNumber("createdAt").longValueExact(),
                        unhex(spk.getString("publicKey")))
                    .signature()))
        .isEqualTo(spk.getString("signature"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void initiator_derivesTheDocumentedValues(String name, JsonObject c) throws Exception {
    X25519.KeyPair ephemeral = x(FILE.getJsonObject("aliceEphemeral"));
    X25519.KeyPair spk = x(BOB.getJsonObject("signedPreKey"));
    LocalIdentity alice = alice();
    assertThat(hex(X25519.agree(alice.dhKeyPair().privateKey(), spk.publicKey())))
        .isEqualTo(c.getString("dh1"));
    assertThat(hex(X25519.agree(ephemeral.privateKey(), bob().identityDhKey())))
        .isEqualTo(c.getString("dh2"));
    assertThat(hex(X25519.agree(ephemeral.privateKey(), spk.publicKey())))
        .isEqualTo(c.getString("dh3"));
    byte[] sk =
        c.containsKey("dh4")
            ? Kdf.x3dh(
                unhex(c.getString("dh1")),
                unhex(c.getString("dh2")),
                unhex(c.getString("dh3")),
                unhex(c.getString("dh4")))
            : Kdf.x3dh(
                unhex(c.getString("dh1")), unhex(c.getString("dh2")), unhex(c.getString("dh3")));
    assertThat(hex(sk)).isEqualTo(c.getString("sharedSecret"));

    X25519.KeyPair ratchet = X25519.generate(new java.security.SecureRandom());
    X3dh.Initiation initiation =
        X3dh.initiate(
            alice,
            ALICE.getString("username"),
            X3dhVectorsGenerator.bundleFrom(c.getJsonObject("bundle")),
            new FixedKeys(List.of(ephemeral, ratchet)));

    assertThat(hex(initiation.header().toBytes())).isEqualTo(c.getString("preKeyHeader"));
    assertThat(hex(initiation.state().associatedData())).isEqualTo(c.getString("associatedData"));
    assertThat(initiation.state().rootKey)
        .isEqualTo(Kdf.root(sk, X25519.agree(ratchet.privateKey(), spk.publicKey())).rootKey());
    assertThat(initiation.state().awaitingReply()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void responder_derivesTheSameSecretFromThePreKeyHeader(String name, JsonObject c)
      throws Exception {
    PreKeyHeader header =
        Envelope.parse(envelopeAround(unhex(c.getString("preKeyHeader"))))
                instanceof Envelope.PreKeyMessage m
            ? m.preKey()
            : null;

    SessionState bob =
        X3dh.respond(
            bob(),
            BOB.getString("username"),
            alice().publicIdentity("alice"),
            header,
            bobPreKeys());

    assertThat(hex(bob.rootKey)).isEqualTo(c.getString("sharedSecret"));
    assertThat(hex(bob.associatedData())).isEqualTo(c.getString("associatedData"));
    assertThat(bob.peerName()).isEqualTo("alice");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedBundles")
  void refusedBundle_isRefused(String name, JsonObject c) {
    PreKeyBundle bundle = X3dhVectorsGenerator.bundleFrom(c.getJsonObject("bundle"));
    assertThatThrownBy(
            () -> X3dh.initiate(alice(), "alice", bundle, new java.security.SecureRandom()))
        .isInstanceOf(UntrustedBundleException.class);
  }

  /**
   * A PreKey envelope with the given prekey header and a dummy ratchet header and tag, to parse the
   * header.
   */
  private static byte[] envelopeAround(byte[] preKeyHeader) {
    return com.securecom.protocol.crypto.Bytes.concat(
        new byte[] {2, 1}, preKeyHeader, new byte[40 + 16 + Padding.BLOCK]);
  }
}
