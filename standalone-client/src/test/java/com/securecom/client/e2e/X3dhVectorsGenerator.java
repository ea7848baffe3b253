package com.securecom.client.e2e;

import static com.securecom.client.e2e.Documented.same;
import static com.securecom.client.e2e.VectorParties.ALICE;
import static com.securecom.client.e2e.VectorParties.ALICE_EPHEMERAL;
import static com.securecom.client.e2e.VectorParties.ALICE_IDENTITY;
import static com.securecom.client.e2e.VectorParties.ALICE_IDENTITY_DH;
import static com.securecom.client.e2e.VectorParties.BOB;
import static com.securecom.client.e2e.VectorParties.BOB_IDENTITY;
import static com.securecom.client.e2e.VectorParties.BOB_IDENTITY_DH;
import static com.securecom.client.e2e.VectorParties.BOB_ONE_TIME_PREKEY;
import static com.securecom.client.e2e.VectorParties.BOB_SIGNED_PREKEY;
import static com.securecom.client.e2e.VectorParties.ONE_TIME_PREKEY_ID;
import static com.securecom.client.e2e.VectorParties.SIGNED_PREKEY_CREATED_AT;
import static com.securecom.client.e2e.VectorParties.SIGNED_PREKEY_ID;
import static com.securecom.protocol.vectors.VectorFiles.hex;

import com.securecom.protocol.crypto.Bits;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.X25519;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.List;

/**
 * Writes {@code vectors/x3dh.json}: identity DH signatures, a signed prekey, X3DH with and without
 * a one-time prekey (every DH output, the HKDF input, SK, the session associated data and the
 * prekey header), and bundles every initiator must refuse. Values are computed by {@link
 * Documented} and checked against {@link X3dh}.
 */
final class X3dhVectorsGenerator {
  /** Only used to check the implementation's initiator root key; not published. */
  private static final X25519.KeyPair CHECK_RATCHET_KEY =
      VectorKeys.x25519("x3dh check ratchet key");

  private X3dhVectorsGenerator() {}

  static JsonObject build() throws Exception {
    byte[] aliceDhSignature =
        Documented.identityDhSignature(ALICE_IDENTITY, ALICE_IDENTITY_DH.publicKey());
    byte[] bobDhSignature =
        Documented.identityDhSignature(BOB_IDENTITY, BOB_IDENTITY_DH.publicKey());
    byte[] spkSignature =
        Documented.signedPreKeySignature(
            BOB_IDENTITY,
            SIGNED_PREKEY_ID,
            SIGNED_PREKEY_CREATED_AT,
            BOB_SIGNED_PREKEY.publicKey());
    same(
        "alice identity DH signature",
        aliceDhSignature,
        VectorParties.alice().identityDhSignature());
    same(
        "bob signed prekey signature",
        spkSignature,
        VectorParties.bob()
            .signPreKey(SIGNED_PREKEY_ID, SIGNED_PREKEY_CREATED_AT, BOB_SIGNED_PREKEY.publicKey())
            .signature());

    JsonArrayBuilder cases = Json.createArrayBuilder();
    for (boolean withOpk : List.of(true, false)) {
      cases.add(x3dhCase(withOpk));
    }

    return Json.createObjectBuilder()
        .add(
            "description",
            "SecureCom peer protocol v2: X3DH with separate Ed25519 (signing) and X25519 (DH)"
                + " identity keys, from Alice (initiator) to Bob (responder). Private keys are SHA-256(\"SecureCom test"
                + " vector key: \" || label). Byte strings are lowercase hex, except in 'bundle', which is exactly the"
                + " registry's JSON answer to GET /api/keys/bob (base64, as on the wire). See docs/protocol.md, 'Peer"
                + " protocol (end to end)'.")
        .add("generator", X3dhVectorsGenerator.class.getName())
        .add("identityDhLabel", "SecureCom identity DH key v1")
        .add("signedPreKeyLabel", "SecureCom signed prekey v2")
        .add("x3dhInfo", "SecureCom X3DH v1")
        .add("sessionLabel", "SecureCom session v1")
        .add(
            "alice",
            Json.createObjectBuilder()
                .add("username", ALICE)
                .add(
                    "identityKey",
                    keyPair(
                        ALICE_IDENTITY.privateKey(),
                        ALICE_IDENTITY.publicKey(),
                        "alice identity key"))
                .add(
                    "identityDhKey",
                    keyPair(
                        ALICE_IDENTITY_DH.privateKey(),
                        ALICE_IDENTITY_DH.publicKey(),
                        "alice identity DH key"))
                .add("identityDhSignature", hex(aliceDhSignature)))
        .add(
            "bob",
            Json.createObjectBuilder()
                .add("username", BOB)
                .add(
                    "identityKey",
                    keyPair(
                        BOB_IDENTITY.privateKey(), BOB_IDENTITY.publicKey(), "bob identity key"))
                .add(
                    "identityDhKey",
                    keyPair(
                        BOB_IDENTITY_DH.privateKey(),
                        BOB_IDENTITY_DH.publicKey(),
                        "bob identity DH key"))
                .add("identityDhSignature", hex(bobDhSignature))
                .add(
                    "signedPreKey",
                    keyPair(
                            BOB_SIGNED_PREKEY.privateKey(),
                            BOB_SIGNED_PREKEY.publicKey(),
                            "bob signed prekey 1")
                        .add("keyId", SIGNED_PREKEY_ID)
                        .add("createdAt", SIGNED_PREKEY_CREATED_AT)
                        .add("signature", hex(spkSignature)))
                .add(
                    "oneTimePreKey",
                    keyPair(
                            BOB_ONE_TIME_PREKEY.privateKey(),
                            BOB_ONE_TIME_PREKEY.publicKey(),
                            "bob one-time prekey 42")
                        .add("keyId", ONE_TIME_PREKEY_ID)))
        .add(
            "aliceEphemeral",
            keyPair(
                ALICE_EPHEMERAL.privateKey(), ALICE_EPHEMERAL.publicKey(), "alice ephemeral key"))
        .add("cases", cases)
        .add("refusedBundles", refusedBundles(bobDhSignature, spkSignature))
        .build();
  }

  private static JsonObjectBuilder x3dhCase(boolean withOpk) throws Exception {
    byte[] dh1 = Documented.dh(ALICE_IDENTITY_DH, BOB_SIGNED_PREKEY.publicKey());
    byte[] dh2 = Documented.dh(ALICE_EPHEMERAL, BOB_IDENTITY_DH.publicKey());
    byte[] dh3 = Documented.dh(ALICE_EPHEMERAL, BOB_SIGNED_PREKEY.publicKey());
    byte[] dh4 = withOpk ? Documented.dh(ALICE_EPHEMERAL, BOB_ONE_TIME_PREKEY.publicKey()) : null;
    same("responder DH1", dh1, Documented.dh(BOB_SIGNED_PREKEY, ALICE_IDENTITY_DH.publicKey()));
    same("responder DH2", dh2, Documented.dh(BOB_IDENTITY_DH, ALICE_EPHEMERAL.publicKey()));
    same("responder DH3", dh3, Documented.dh(BOB_SIGNED_PREKEY, ALICE_EPHEMERAL.publicKey()));
    byte[] ikm =
        withOpk ? Documented.x3dhIkm(dh1, dh2, dh3, dh4) : Documented.x3dhIkm(dh1, dh2, dh3);
    byte[] sk = Documented.x3dhSecret(ikm);
    byte[] ad =
        Documented.sessionAd(
            ALICE,
            ALICE_IDENTITY.publicKey(),
            ALICE_IDENTITY_DH.publicKey(),
            BOB,
            BOB_IDENTITY.publicKey(),
            BOB_IDENTITY_DH.publicKey());
    byte[] header =
        Documented.preKeyHeader(
            ALICE_IDENTITY.publicKey(),
            ALICE_IDENTITY_DH.publicKey(),
            ALICE_EPHEMERAL.publicKey(),
            SIGNED_PREKEY_ID,
            withOpk ? ONE_TIME_PREKEY_ID : null);

    // Through the implementation, both sides.
    PreKeyBundle bundle = VectorParties.bobBundle(withOpk);
    X3dh.Initiation initiation =
        X3dh.initiate(
            VectorParties.alice(),
            ALICE,
            bundle,
            new FixedKeys(List.of(ALICE_EPHEMERAL, CHECK_RATCHET_KEY)));
    same("prekey header", header, initiation.header().toBytes());
    same("initiator associated data", ad, initiation.state().associatedData());
    same(
        "initiator root key",
        Documented.kdfRk(sk, Documented.dh(CHECK_RATCHET_KEY, BOB_SIGNED_PREKEY.publicKey()))[0],
        initiation.state().rootKey);
    SessionState responder =
        X3dh.respond(
            VectorParties.bob(),
            BOB,
            VectorParties.alice().publicIdentity(ALICE),
            initiation.header(),
            VectorParties.bobPreKeys());
    same("responder SK (its first root key)", sk, responder.rootKey);
    same("responder associated data", ad, responder.associatedData());

    JsonObjectBuilder c =
        Json.createObjectBuilder()
            .add("name", withOpk ? "withOneTimePreKey" : "withoutOneTimePreKey")
            .add("bundle", bundleJson(bundle))
            .add("dh1", hex(dh1))
            .add("dh2", hex(dh2))
            .add("dh3", hex(dh3));
    if (withOpk) {
      c.add("dh4", hex(dh4));
    }
    return c.add("ikm", hex(ikm))
        .add("sharedSecret", hex(sk))
        .add("associatedData", hex(ad))
        .add("preKeyHeader", hex(header));
  }

  private static JsonArrayBuilder refusedBundles(byte[] bobDhSignature, byte[] spkSignature)
      throws Exception {
    PreKeyBundle good = VectorParties.bobBundle(true);
    List<Object[]> refused =
        List.of(
            new Object[] {
              "signedPreKeySignatureBitFlipped",
              withSignatures(good, bobDhSignature, Bits.flip(spkSignature, 7))
            },
            new Object[] {
              "identityDhSignatureBitFlipped",
              withSignatures(good, Bits.flip(bobDhSignature, 300), spkSignature)
            },
            new Object[] {
              "identityDhSignedWithoutLabel",
              withSignatures(
                  good,
                  Ed25519.sign(BOB_IDENTITY.privateKey(), BOB_IDENTITY_DH.publicKey()),
                  spkSignature)
            },
            new Object[] {
              "signedPreKeySignedByAnotherIdentity",
              withSignatures(
                  good,
                  bobDhSignature,
                  Documented.signedPreKeySignature(
                      ALICE_IDENTITY,
                      SIGNED_PREKEY_ID,
                      SIGNED_PREKEY_CREATED_AT,
                      BOB_SIGNED_PREKEY.publicKey()))
            },
            new Object[] {
              "signedPreKeySignedAsInVersion1",
              withSignatures(
                  good,
                  bobDhSignature,
                  Ed25519.sign(BOB_IDENTITY.privateKey(), BOB_SIGNED_PREKEY.publicKey()))
            },
            new Object[] {
              "signedPreKeyUnderAnotherKeyId",
              withSignedPreKey(good, SIGNED_PREKEY_ID + 1, SIGNED_PREKEY_CREATED_AT, spkSignature)
            },
            new Object[] {
              "signedPreKeyWithAnotherCreationTime",
              withSignedPreKey(good, SIGNED_PREKEY_ID, SIGNED_PREKEY_CREATED_AT - 1, spkSignature)
            },
            new Object[] {"signaturesSwapped", withSignatures(good, spkSignature, bobDhSignature)});
    JsonArrayBuilder out = Json.createArrayBuilder();
    for (Object[] r : refused) {
      PreKeyBundle bundle = (PreKeyBundle) r[1];
      try {
        X3dh.initiate(
            VectorParties.alice(),
            ALICE,
            bundle,
            new FixedKeys(List.of(ALICE_EPHEMERAL, CHECK_RATCHET_KEY)));
        throw new IllegalStateException(r[0] + " was not refused by the implementation");
      } catch (UntrustedBundleException expected) {
        // as documented
      }
      out.add(
          Json.createObjectBuilder().add("name", (String) r[0]).add("bundle", bundleJson(bundle)));
    }
    return out;
  }

  private static PreKeyBundle withSignatures(
      PreKeyBundle b, byte[] identityDhSignature, byte[] spkSignature) {
    return new PreKeyBundle(
        b.username(),
        b.identityKey(),
        b.identityDhKey(),
        identityDhSignature,
        new PreKeyBundle.SignedPreKey(
            b.signedPreKey().keyId(),
            b.signedPreKey().publicKey(),
            b.signedPreKey().createdAt(),
            spkSignature),
        b.oneTimePreKey());
  }

  private static PreKeyBundle withSignedPreKey(
      PreKeyBundle b, long keyId, long createdAt, byte[] spkSignature) {
    return new PreKeyBundle(
        b.username(),
        b.identityKey(),
        b.identityDhKey(),
        b.identityDhSignature(),
        new PreKeyBundle.SignedPreKey(keyId, b.signedPreKey().publicKey(), createdAt, spkSignature),
        b.oneTimePreKey());
  }

  /** The registry's JSON for a bundle, exactly as {@code GET /api/keys/{username}} answers it. */
  static JsonObjectBuilder bundleJson(PreKeyBundle b) {
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("username", b.username())
            .add("identityKey", Bytes.base64(b.identityKey()))
            .add(
                "identityDhKey",
                Json.createObjectBuilder()
                    .add("publicKey", Bytes.base64(b.identityDhKey()))
                    .add("signature", Bytes.base64(b.identityDhSignature())))
            .add(
                "signedPreKey",
                Json.createObjectBuilder()
                    .add("keyId", b.signedPreKey().keyId())
                    .add("publicKey", Bytes.base64(b.signedPreKey().publicKey()))
                    .add("createdAt", b.signedPreKey().createdAt())
                    .add("signature", Bytes.base64(b.signedPreKey().signature())));
    if (b.oneTimePreKey() != null) {
      json.add(
          "oneTimePreKey",
          Json.createObjectBuilder()
              .add("keyId", b.oneTimePreKey().keyId())
              .add("publicKey", Bytes.base64(b.oneTimePreKey().publicKey())));
    }
    return json;
  }

  /** A bundle read back through the client's own registry parser. */
  static PreKeyBundle bundleFrom(JsonObject json) {
    return PreKeyBundle.fromRegistryJson(json.getString("username"), json);
  }

  static JsonObjectBuilder keyPair(byte[] privateKey, byte[] publicKey, String label) {
    return Json.createObjectBuilder()
        .add("label", label)
        .add("privateKey", hex(privateKey))
        .add("publicKey", hex(publicKey));
  }
}
