package com.securecom.client.e2e;

import static com.securecom.client.e2e.Documented.same;
import static com.securecom.client.e2e.VectorFiles.hex;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.DecryptionFailedException;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Writes {@code vectors/envelope.json}: the byte layout of PreKey and normal envelopes (with placeholder ciphertext;
 * ratchet.json has real ones), envelopes every parser must refuse, and payload JSON texts to accept or refuse.
 */
final class EnvelopeVectorsGenerator {
  private static final byte[] IK = VectorParties.ALICE_IDENTITY.publicKey();
  private static final byte[] IK_DH = VectorParties.ALICE_IDENTITY_DH.publicKey();
  private static final byte[] EK = VectorParties.ALICE_EPHEMERAL.publicKey();
  private static final byte[] RATCHET = VectorKeys.x25519("alice ratchet key 1").publicKey();
  private static final byte[] BOB_RATCHET = VectorKeys.x25519("bob ratchet key 1").publicKey();
  /** Placeholder "ciphertext": the bytes 0x00..0x1f. Parsing does not look inside. */
  private static final byte[] CIPHERTEXT = new byte[32];
  private static final long MAX_SAFE_JS_INTEGER = (1L << 53) - 1;

  static {
    for (int i = 0; i < CIPHERTEXT.length; i++) {
      CIPHERTEXT[i] = (byte) i;
    }
  }

  private EnvelopeVectorsGenerator() {}

  static JsonObject build() throws Exception {
    JsonArrayBuilder valid = Json.createArrayBuilder()
        .add(preKey("preKeyWithOneTimePreKey", 1, 42L, RATCHET, 0, 0, CIPHERTEXT))
        .add(preKey("preKeyWithoutOneTimePreKey", 1, null, RATCHET, 0, 1, CIPHERTEXT))
        .add(preKey("preKeyLargeKeyIds", MAX_SAFE_JS_INTEGER, MAX_SAFE_JS_INTEGER, RATCHET, 0, 0, CIPHERTEXT))
        .add(normal("normal", BOB_RATCHET, 2, 5, CIPHERTEXT))
        .add(normal("normalMaximumCountersTagOnly", BOB_RATCHET, 0xFFFF_FFFFL, 0xFFFF_FFFFL,
            Arrays.copyOf(CIPHERTEXT, 16)));

    byte[] normal = Documented.header(BOB_RATCHET, 2, 5);
    byte[] normalEnvelope = Bytes.concat(new byte[] {1, 2}, normal, CIPHERTEXT);
    byte[] preKeyEnvelope = Bytes.concat(new byte[] {1, 1},
        Documented.preKeyHeader(IK, IK_DH, EK, 1, 42L), Documented.header(RATCHET, 0, 0), CIPHERTEXT);
    JsonArrayBuilder invalid = Json.createArrayBuilder();
    invalid(invalid, "empty", new byte[0]);
    invalid(invalid, "versionOnly", new byte[] {1});
    invalid(invalid, "versionZero", with(normalEnvelope, 0, 0x00));
    invalid(invalid, "versionTwo", with(normalEnvelope, 0, 0x02));
    invalid(invalid, "typeZero", with(normalEnvelope, 1, 0x00));
    invalid(invalid, "typeThree", with(normalEnvelope, 1, 0x03));
    invalid(invalid, "normalShorterThanHeaderAndTag", Arrays.copyOf(normalEnvelope, 2 + 40 + 15));
    invalid(invalid, "preKeyShorterThanHeadersAndTag", Arrays.copyOf(preKeyEnvelope, 2 + 113 + 40 + 15));
    invalid(invalid, "preKeyTypeWithNormalLayout", with(normalEnvelope, 1, 0x01));
    invalid(invalid, "oneTimePreKeyFlagTwo", with(preKeyEnvelope, 2 + 104, 0x02));
    invalid(invalid, "oneTimePreKeyIdWithFlagZero", with(preKeyEnvelope, 2 + 104, 0x00));
    invalid(invalid, "signedPreKeyIdTopBitSet", with(preKeyEnvelope, 2 + 96, 0x80));
    invalid(invalid, "oneTimePreKeyIdTopBitSet", with(preKeyEnvelope, 2 + 105, 0x80));
    invalid(invalid, "baseKeyTopBitSet", with(preKeyEnvelope, 2 + 95, preKeyEnvelope[2 + 95] | 0x80));

    return Json.createObjectBuilder()
        .add("description", "SecureCom peer protocol v1 envelopes (the relay's opaque 'envelope', before base64) and"
            + " message payloads. 'valid' envelopes give each field and the bytes; their ciphertext is a"
            + " placeholder, since parsing never looks inside. Every parser MUST refuse 'invalid' envelopes."
            + " 'payloads' are the JSON inside the ciphertext: 'canonical' marks the encoder's exact output."
            + " Byte strings are lowercase hex.")
        .add("generator", EnvelopeVectorsGenerator.class.getName())
        .add("valid", valid)
        .add("invalid", invalid)
        .add("payloads", payloads())
        .build();
  }

  private static JsonObjectBuilder preKey(String name, long spkId, Long opkId, byte[] ratchet, long pn, long n,
      byte[] ciphertext) throws DecryptionFailedException {
    byte[] envelope = Bytes.concat(new byte[] {1, 1}, Documented.preKeyHeader(IK, IK_DH, EK, spkId, opkId),
        Documented.header(ratchet, pn, n), ciphertext);
    Envelope parsed = Envelope.parse(envelope);
    same(name, envelope, parsed.toBytes());
    if (!(parsed instanceof Envelope.PreKeyMessage p) || p.preKey().signedPreKeyId() != spkId
        || p.preKey().oneTimePreKeyId().isPresent() != (opkId != null) || p.header().counter() != n) {
      throw new IllegalStateException(name + " parses differently");
    }
    JsonObjectBuilder json = Json.createObjectBuilder()
        .add("name", name)
        .add("type", "preKey")
        .add("identityKey", hex(IK))
        .add("identityDhKey", hex(IK_DH))
        .add("baseKey", hex(EK))
        .add("signedPreKeyId", spkId);
    if (opkId != null) {
      json.add("oneTimePreKeyId", opkId);
    }
    return json.add("ratchetKey", hex(ratchet))
        .add("previousCounter", pn)
        .add("counter", n)
        .add("ciphertext", hex(ciphertext))
        .add("envelope", hex(envelope));
  }

  private static JsonObjectBuilder normal(String name, byte[] ratchet, long pn, long n, byte[] ciphertext)
      throws DecryptionFailedException {
    byte[] envelope = Bytes.concat(new byte[] {1, 2}, Documented.header(ratchet, pn, n), ciphertext);
    Envelope parsed = Envelope.parse(envelope);
    same(name, envelope, parsed.toBytes());
    if (!(parsed instanceof Envelope.NormalMessage) || parsed.header().previousCounter() != pn
        || parsed.header().counter() != n) {
      throw new IllegalStateException(name + " parses differently");
    }
    return Json.createObjectBuilder()
        .add("name", name)
        .add("type", "normal")
        .add("ratchetKey", hex(ratchet))
        .add("previousCounter", pn)
        .add("counter", n)
        .add("ciphertext", hex(ciphertext))
        .add("envelope", hex(envelope));
  }

  private static byte[] with(byte[] bytes, int index, int value) {
    byte[] copy = bytes.clone();
    copy[index] = (byte) value;
    return copy;
  }

  private static void invalid(JsonArrayBuilder out, String name, byte[] envelope) {
    try {
      Envelope.parse(envelope);
      throw new IllegalStateException(name + " was accepted by the implementation");
    } catch (DecryptionFailedException expected) {
      out.add(Json.createObjectBuilder().add("name", name).add("envelope", hex(envelope)));
    }
  }

  private static JsonObjectBuilder payloads() {
    String[][] valid = {
        {"simple", "{\"id\":\"m0-3f1c2d4e\",\"body\":\"Hi Bob\",\"sentAt\":\"2025-01-01T12:00:00Z\"}"},
        {"fractionalSeconds", "{\"id\":\"0b7f5b2c-8a7e-4b39-9a55-3f1c2d4e6a01\",\"body\":\"x\","
            + "\"sentAt\":\"2025-01-01T12:00:00.123Z\"}"},
        {"escapesAndUnicode", "{\"id\":\"A_z-9\",\"body\":\"line 1\\nline 2 \\\"quoted\\\" caf\u00e9 \uD83D\uDE00\","
            + "\"sentAt\":\"2025-06-30T23:59:59Z\"}"},
        {"emptyBody", "{\"id\":\"m1\",\"body\":\"\",\"sentAt\":\"2025-01-01T12:00:00Z\"}"},
        {"otherMemberOrder", "{\"sentAt\":\"2025-01-01T12:00:00Z\",\"body\":\"Hi\",\"id\":\"m2\"}"},
        {"unknownMemberIgnored", "{\"id\":\"m3\",\"body\":\"Hi\",\"sentAt\":\"2025-01-01T12:00:00Z\","
            + "\"replyTo\":\"m2\"}"},
    };
    String[][] invalid = {
        {"notJson", "hello"},
        {"array", "[\"m0\",\"Hi\",\"2025-01-01T12:00:00Z\"]"},
        {"string", "\"m0\""},
        {"missingId", "{\"body\":\"Hi\",\"sentAt\":\"2025-01-01T12:00:00Z\"}"},
        {"missingBody", "{\"id\":\"m0\",\"sentAt\":\"2025-01-01T12:00:00Z\"}"},
        {"missingSentAt", "{\"id\":\"m0\",\"body\":\"Hi\"}"},
        {"idNumber", "{\"id\":7,\"body\":\"Hi\",\"sentAt\":\"2025-01-01T12:00:00Z\"}"},
        {"bodyNull", "{\"id\":\"m0\",\"body\":null,\"sentAt\":\"2025-01-01T12:00:00Z\"}"},
        {"bodyObject", "{\"id\":\"m0\",\"body\":{},\"sentAt\":\"2025-01-01T12:00:00Z\"}"},
        {"idEmpty", "{\"id\":\"\",\"body\":\"Hi\",\"sentAt\":\"2025-01-01T12:00:00Z\"}"},
        {"idWithSpace", "{\"id\":\"m 0\",\"body\":\"Hi\",\"sentAt\":\"2025-01-01T12:00:00Z\"}"},
        {"idTooLong", "{\"id\":\"" + "a".repeat(65) + "\",\"body\":\"Hi\",\"sentAt\":\"2025-01-01T12:00:00Z\"}"},
        {"sentAtNotATime", "{\"id\":\"m0\",\"body\":\"Hi\",\"sentAt\":\"yesterday\"}"},
        {"sentAtWithoutZone", "{\"id\":\"m0\",\"body\":\"Hi\",\"sentAt\":\"2025-01-01T12:00:00\"}"},
    };
    JsonArrayBuilder validJson = Json.createArrayBuilder();
    for (String[] v : valid) {
      Optional<MessagePayload> decoded = MessagePayload.decode(v[1].getBytes(StandardCharsets.UTF_8));
      MessagePayload p = decoded.orElseThrow(() -> new IllegalStateException(v[0] + " refused"));
      boolean canonical = new String(p.encode(), StandardCharsets.UTF_8).equals(v[1]);
      validJson.add(Json.createObjectBuilder().add("name", v[0]).add("json", v[1]).add("canonical", canonical)
          .add("id", p.id()).add("body", p.body()).add("sentAt", p.sentAt().toString()));
    }
    JsonArrayBuilder invalidJson = Json.createArrayBuilder();
    for (String[] v : invalid) {
      if (MessagePayload.decode(v[1].getBytes(StandardCharsets.UTF_8)).isPresent()) {
        throw new IllegalStateException(v[0] + " accepted");
      }
      invalidJson.add(Json.createObjectBuilder().add("name", v[0]).add("json", v[1]));
    }
    return Json.createObjectBuilder().add("valid", validJson).add("invalid", invalidJson);
  }
}
