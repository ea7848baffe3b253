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
import static com.securecom.client.e2e.VectorParties.SIGNED_PREKEY_ID;
import static com.securecom.protocol.vectors.VectorFiles.hex;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.crypto.internal.InsecureNonceAesGcm;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code vectors/ratchet.json}: one fixed conversation between Alice and Bob (X3DH with a
 * one-time prekey, then seven messages both ways, two of them delivered out of order), with every
 * ratchet step, chain key, message key, header, associated data and envelope.
 *
 * <p>The conversation is computed by {@link Party}, a transcription of the document with bare
 * primitives, and replayed through {@link Session} with the same fixed ratchet keys; the generator
 * refuses to write if any envelope or plaintext differs.
 */
final class RatchetVectorsGenerator {
  static final List<X25519.KeyPair> ALICE_KEYS =
      List.of(
          ALICE_EPHEMERAL,
          VectorKeys.x25519("alice ratchet key 1"),
          VectorKeys.x25519("alice ratchet key 2"),
          VectorKeys.x25519("alice ratchet key 3"));
  static final List<X25519.KeyPair> BOB_KEYS =
      List.of(
          VectorKeys.x25519("bob ratchet key 1"),
          VectorKeys.x25519("bob ratchet key 2"),
          VectorKeys.x25519("bob ratchet key 3"));

  /** One message: who sends it, its relay id and text. */
  private record Message(String sender, String id, String body, String sentAt) {
    String payload() {
      return "{\"id\":\""
          + id
          + "\",\"type\":\"text\",\"sentAt\":\""
          + sentAt
          + "\",\"body\":\""
          + body
          + "\"}";
    }
  }

  private static final List<Message> MESSAGES =
      List.of(
          new Message(ALICE, "m0-3f1c2d4e", "Hi Bob, it's Alice.", "2025-01-01T12:00:00.000Z"),
          new Message(ALICE, "m1-8a7e4b39", "Coffee later? \u2615", "2025-01-01T12:00:01.250Z"),
          new Message(BOB, "m2-5d2e9c1a", "Hi Alice!", "2025-01-01T12:01:00.000Z"),
          new Message(BOB, "m3-a9f0e1d2", "Sure, at 3.", "2025-01-01T12:01:05.000Z"),
          new Message(ALICE, "m4-0b7f5b2c", "Great.", "2025-01-01T12:02:00.000Z"),
          new Message(BOB, "m5-c3b45d2e", "See you.", "2025-01-01T12:03:00.000Z"),
          new Message(ALICE, "m6-9c1a3b4f", "Bye.", "2025-01-01T12:04:00.000Z"));

  /**
   * Sends and deliveries in order: positive = send message i, negative = deliver message -i-1 (i.e.
   * ~i).
   */
  private static final int[] EVENTS = {0, 1, ~1, ~0, 2, 3, ~2, 4, ~4, 5, ~5, ~3, 6, ~6};

  private RatchetVectorsGenerator() {}

  static JsonObject build() throws Exception {
    byte[] ikm =
        Documented.x3dhIkm(
            Documented.dh(ALICE_IDENTITY_DH, BOB_SIGNED_PREKEY.publicKey()),
            Documented.dh(ALICE_EPHEMERAL, BOB_IDENTITY_DH.publicKey()),
            Documented.dh(ALICE_EPHEMERAL, BOB_SIGNED_PREKEY.publicKey()),
            Documented.dh(ALICE_EPHEMERAL, BOB_ONE_TIME_PREKEY.publicKey()));
    byte[] sk = Documented.x3dhSecret(ikm);
    byte[] ad =
        Documented.sessionAd(
            ALICE,
            ALICE_IDENTITY.publicKey(),
            ALICE_IDENTITY_DH.publicKey(),
            BOB,
            BOB_IDENTITY.publicKey(),
            BOB_IDENTITY_DH.publicKey());
    byte[] preKeyHeader =
        Documented.preKeyHeader(
            ALICE_IDENTITY.publicKey(),
            ALICE_IDENTITY_DH.publicKey(),
            ALICE_EPHEMERAL.publicKey(),
            SIGNED_PREKEY_ID,
            ONE_TIME_PREKEY_ID);

    // The document: RatchetInitAlice with Bob's signed prekey, RatchetInitBob with the signed
    // prekey pair.
    Party alice = new Party(true, ad, ALICE_KEYS.subList(1, ALICE_KEYS.size()));
    alice.dhs = alice.keys.poll();
    alice.dhr = BOB_SIGNED_PREKEY.publicKey();
    byte[] initDh = Documented.dh(alice.dhs, alice.dhr);
    byte[][] init = Documented.kdfRk(sk, initDh);
    alice.rk = init[0];
    alice.cks = init[1];
    alice.preKeyHeader = preKeyHeader;
    Party bob = new Party(false, ad, BOB_KEYS);
    bob.dhs = BOB_SIGNED_PREKEY;
    bob.rk = sk;

    // The implementation, with the same keys.
    Session aliceSession =
        Session.initiate(
            VectorParties.alice(), ALICE, VectorParties.bobBundle(true), new FixedKeys(ALICE_KEYS));
    FixedKeys bobKeys = new FixedKeys(BOB_KEYS);
    InMemoryPreKeyStore bobPreKeys = VectorParties.bobPreKeys();
    Session bobSession = null;

    List<JsonObjectBuilder> messages = new ArrayList<>();
    List<byte[]> envelopes = new ArrayList<>();
    JsonArrayBuilder events = Json.createArrayBuilder();
    for (int event : EVENTS) {
      boolean send = event >= 0;
      int index = send ? event : ~event;
      Message m = MESSAGES.get(index);
      boolean aliceSends = m.sender().equals(ALICE);
      if (send) {
        byte[] content = m.payload().getBytes(StandardCharsets.UTF_8);
        same(
            "payload " + index,
            content,
            MessagePayload.text(m.id(), m.body(), java.time.Instant.parse(m.sentAt())).encode());
        byte[] plaintext = Documented.pad(content);
        same("padding " + index, plaintext, Padding.pad(content));
        JsonObjectBuilder vector = (aliceSends ? alice : bob).send(plaintext);
        byte[] envelope = (aliceSends ? alice : bob).lastEnvelope;
        same(
            "envelope " + index,
            envelope,
            (aliceSends ? aliceSession : bobSession).encrypt(content));
        messages.add(
            Json.createObjectBuilder()
                .add("index", index)
                .add("sender", m.sender())
                .add("relayId", m.id())
                .addAll(vector));
        envelopes.add(envelope);
        events.add(
            Json.createObjectBuilder()
                .add("action", "send")
                .add("party", m.sender())
                .add("message", index));
      } else {
        Party receiver = aliceSends ? bob : alice;
        byte[] envelope = envelopes.get(index);
        byte[] plaintext = receiver.receive(envelope);
        same(
            "plaintext " + index,
            Documented.pad(m.payload().getBytes(StandardCharsets.UTF_8)),
            plaintext);
        MessagePayload decrypted;
        if (!aliceSends) {
          decrypted = aliceSession.decrypt(envelope, m.id());
        } else if (bobSession == null) {
          Session.Accepted accepted =
              Session.accept(
                  VectorParties.bob(),
                  BOB,
                  VectorParties.alice().publicIdentity(ALICE),
                  envelope,
                  bobPreKeys,
                  bobKeys,
                  Session.payloadCheck(m.id()));
          bobSession = accepted.session();
          decrypted = Session.payload(accepted.plaintext());
        } else {
          decrypted = bobSession.decrypt(envelope, m.id());
        }
        same(
            "decrypted payload " + index,
            m.payload(),
            new String(decrypted.encode(), StandardCharsets.UTF_8));
        JsonObjectBuilder e =
            Json.createObjectBuilder()
                .add("action", "receive")
                .add("party", aliceSends ? BOB : ALICE)
                .add("message", index)
                .add("usedSkippedKey", receiver.usedSkippedKey);
        if (receiver.lastRatchet != null) {
          e.add("ratchetStep", receiver.lastRatchet);
        }
        e.add("skippedKeysStored", receiver.lastSkipped);
        events.add(e);
      }
    }
    if (bobPreKeys.oneTime.containsKey(ONE_TIME_PREKEY_ID) || bobKeys.remaining() != 0) {
      throw new IllegalStateException("one-time prekey not removed, or ratchet keys left over");
    }

    JsonArrayBuilder messageArray = Json.createArrayBuilder();
    messages.forEach(messageArray::add); // EVENTS sends the messages in index order
    return Json.createObjectBuilder()
        .add(
            "description",
            "SecureCom peer protocol v2: a fixed Double Ratchet conversation after the"
                + " 'withOneTimePreKey' X3DH of x3dh.json (same keys). Ratchet keys are generated in the listed order:"
                + " Alice's ephemeral key first, then her ratchet keys. Replay 'events' in order; 'messages' are in"
                + " sending order. 'plaintext' is the UTF-8 payload JSON, 'padded' what the ratchet encrypts (docs/protocol.md,"
                + " Padding). All byte strings are lowercase hex.")
        .add("generator", RatchetVectorsGenerator.class.getName())
        .add("ratchetInfo", "SecureCom ratchet v1")
        .add("messageInfo", "SecureCom message v1")
        .add("sharedSecret", hex(sk))
        .add("associatedData", hex(ad))
        .add("preKeyHeader", hex(preKeyHeader))
        .add(
            "aliceKeys",
            keys(
                ALICE_KEYS,
                List.of(
                    "alice ephemeral key",
                    "alice ratchet key 1",
                    "alice ratchet key 2",
                    "alice ratchet key 3")))
        .add(
            "bobKeys",
            keys(BOB_KEYS, List.of("bob ratchet key 1", "bob ratchet key 2", "bob ratchet key 3")))
        .add(
            "initiatorInit",
            Json.createObjectBuilder()
                .add("ratchetKey", hex(ALICE_KEYS.get(1).publicKey()))
                .add("theirRatchetKey", hex(BOB_SIGNED_PREKEY.publicKey()))
                .add("dh", hex(initDh))
                .add("rootKey", hex(init[0]))
                .add("sendingChainKey", hex(init[1])))
        .add(
            "responderInit",
            Json.createObjectBuilder()
                .add("ratchetKey", hex(BOB_SIGNED_PREKEY.publicKey()))
                .add("rootKey", hex(sk)))
        .add("messages", messageArray)
        .add("events", events)
        .build();
  }

  private static JsonArrayBuilder keys(List<X25519.KeyPair> keys, List<String> labels) {
    JsonArrayBuilder out = Json.createArrayBuilder();
    for (int i = 0; i < keys.size(); i++) {
      out.add(
          X3dhVectorsGenerator.keyPair(
              keys.get(i).privateKey(), keys.get(i).publicKey(), labels.get(i)));
    }
    return out;
  }

  /**
   * One party of the Double Ratchet, transcribed from the document ("The Double Ratchet Algorithm",
   * 3.5).
   */
  static final class Party {
    final boolean initiator;
    final byte[] ad;
    final ArrayDeque<X25519.KeyPair> keys;
    X25519.KeyPair dhs;
    byte[] dhr;
    byte[] rk;
    byte[] cks;
    byte[] ckr;
    long ns;
    long nr;
    long pn;
    byte[] preKeyHeader;
    final Map<String, byte[]> skipped = new LinkedHashMap<>();
    byte[] lastEnvelope;
    JsonObjectBuilder lastRatchet;
    JsonArrayBuilder lastSkipped;
    boolean usedSkippedKey;

    Party(boolean initiator, byte[] ad, List<X25519.KeyPair> keys) {
      this.initiator = initiator;
      this.ad = ad;
      this.keys = new ArrayDeque<>(keys);
    }

    JsonObjectBuilder send(byte[] plaintext) {
      byte[] chainKey = cks;
      byte[][] ck = Documented.kdfCk(cks);
      cks = ck[1];
      byte[] header = Documented.header(dhs.publicKey(), pn, ns);
      long n = ns++;
      byte[][] mk = Documented.messageKeys(ck[0]);
      byte[] messageAd = Bytes.concat(ad, new byte[] {(byte) (initiator ? 0x01 : 0x02)}, header);
      byte[] ciphertext = new InsecureNonceAesGcm(mk[0]).seal(mk[1], plaintext, messageAd);
      lastEnvelope =
          preKeyHeader != null
              ? Bytes.concat(new byte[] {0x02, 0x01}, preKeyHeader, header, ciphertext)
              : Bytes.concat(new byte[] {0x02, 0x02}, header, ciphertext);
      return Json.createObjectBuilder()
          .add("type", preKeyHeader != null ? "preKey" : "normal")
          .add("ratchetKey", hex(dhs.publicKey()))
          .add("previousCounter", pn)
          .add("counter", n)
          .add("header", hex(header))
          .add("chainKey", hex(chainKey))
          .add("messageKey", hex(ck[0]))
          .add("aesKey", hex(mk[0]))
          .add("nonce", hex(mk[1]))
          .add("associatedData", hex(messageAd))
          .add(
              "plaintext",
              new String(
                  Arrays.copyOf(plaintext, lastIndexOfMark(plaintext)), StandardCharsets.UTF_8))
          .add("padded", hex(plaintext))
          .add("ciphertext", hex(ciphertext))
          .add("envelope", hex(lastEnvelope));
    }

    private static int lastIndexOfMark(byte[] padded) {
      int i = padded.length - 1;
      while (padded[i] == 0) {
        i--;
      }
      return i;
    }

    byte[] receive(byte[] envelope) throws Exception {
      lastRatchet = null;
      lastSkipped = Json.createArrayBuilder();
      int offset = envelope[1] == 0x01 ? 2 + 113 : 2;
      byte[] header = Arrays.copyOfRange(envelope, offset, offset + 40);
      byte[] ciphertext = Arrays.copyOfRange(envelope, offset + 40, envelope.length);
      ByteBuffer h = ByteBuffer.wrap(header);
      byte[] dh = new byte[32];
      h.get(dh);
      long headerPn = Integer.toUnsignedLong(h.getInt());
      long headerN = Integer.toUnsignedLong(h.getInt());
      byte[] mk = skipped.remove(hex(dh) + ":" + headerN);
      usedSkippedKey = mk != null;
      if (mk == null) {
        if (!Arrays.equals(dh, dhr)) {
          skip(headerPn);
          ratchet(dh);
        }
        skip(headerN);
        byte[][] ck = Documented.kdfCk(ckr);
        mk = ck[0];
        ckr = ck[1];
        nr++;
      }
      byte[][] keys = Documented.messageKeys(mk);
      byte[] messageAd = Bytes.concat(ad, new byte[] {(byte) (initiator ? 0x02 : 0x01)}, header);
      byte[] plaintext = new InsecureNonceAesGcm(keys[0]).open(keys[1], ciphertext, messageAd);
      preKeyHeader = null;
      return plaintext;
    }

    private void skip(long until) {
      if (ckr == null) {
        return;
      }
      while (nr < until) {
        byte[][] ck = Documented.kdfCk(ckr);
        skipped.put(hex(dhr) + ":" + nr, ck[0]);
        lastSkipped.add(
            Json.createObjectBuilder()
                .add("ratchetKey", hex(dhr))
                .add("counter", nr)
                .add("messageKey", hex(ck[0])));
        ckr = ck[1];
        nr++;
      }
    }

    private void ratchet(byte[] theirKey) {
      pn = ns;
      ns = 0;
      nr = 0;
      dhr = theirKey;
      byte[] receiveDh = Documented.dh(dhs, dhr);
      byte[][] receiving = Documented.kdfRk(rk, receiveDh);
      ckr = receiving[1];
      dhs = keys.poll();
      byte[] sendDh = Documented.dh(dhs, dhr);
      byte[][] sending = Documented.kdfRk(receiving[0], sendDh);
      rk = sending[0];
      cks = sending[1];
      lastRatchet =
          Json.createObjectBuilder()
              .add("theirRatchetKey", hex(theirKey))
              .add("receivingDh", hex(receiveDh))
              .add("intermediateRootKey", hex(receiving[0]))
              .add("receivingChainKey", hex(receiving[1]))
              .add("newRatchetKey", hex(dhs.publicKey()))
              .add("sendingDh", hex(sendDh))
              .add("rootKey", hex(sending[0]))
              .add("sendingChainKey", hex(sending[1]));
    }
  }
}
