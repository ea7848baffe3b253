package com.securecom.client.e2e;

import static com.securecom.client.e2e.Documented.same;
import static com.securecom.protocol.vectors.VectorFiles.hex;

import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.groups.GroupStateJson;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Writes {@code vectors/envelope.json}: the byte layout of PreKey and normal envelopes (with
 * placeholder ciphertext; ratchet.json has real ones), envelopes every parser must refuse, and
 * payload JSON texts to accept or refuse.
 */
final class EnvelopeVectorsGenerator {
  private static final byte[] IK = VectorParties.ALICE_IDENTITY.publicKey();
  private static final byte[] IK_DH = VectorParties.ALICE_IDENTITY_DH.publicKey();
  private static final byte[] EK = VectorParties.ALICE_EPHEMERAL.publicKey();
  private static final byte[] RATCHET = VectorKeys.x25519("alice ratchet key 1").publicKey();
  private static final byte[] BOB_RATCHET = VectorKeys.x25519("bob ratchet key 1").publicKey();

  /**
   * Placeholder "ciphertext" of the shortest valid length (256 + a 16-byte tag): bytes 0, 1, 2, ...
   */
  private static final byte[] CIPHERTEXT = new byte[272];

  private static final long MAX_SAFE_JS_INTEGER = (1L << 53) - 1;

  static {
    for (int i = 0; i < CIPHERTEXT.length; i++) {
      CIPHERTEXT[i] = (byte) i;
    }
  }

  private EnvelopeVectorsGenerator() {}

  static JsonObject build() throws Exception {
    JsonArrayBuilder valid =
        Json.createArrayBuilder()
            .add(preKey("preKeyWithOneTimePreKey", 1, 42L, RATCHET, 0, 0, CIPHERTEXT))
            .add(preKey("preKeyWithoutOneTimePreKey", 1, null, RATCHET, 0, 1, CIPHERTEXT))
            .add(
                preKey(
                    "preKeyLargeKeyIds",
                    MAX_SAFE_JS_INTEGER,
                    MAX_SAFE_JS_INTEGER,
                    RATCHET,
                    0,
                    0,
                    CIPHERTEXT))
            .add(normal("normal", BOB_RATCHET, 2, 5, CIPHERTEXT))
            .add(
                normal(
                    "normalMaximumCountersTwoBlocks",
                    BOB_RATCHET,
                    0xFFFF_FFFFL,
                    0xFFFF_FFFFL,
                    Arrays.copyOf(CIPHERTEXT, 528)));

    byte[] normal = Documented.header(BOB_RATCHET, 2, 5);
    byte[] normalEnvelope = Bytes.concat(new byte[] {2, 2}, normal, CIPHERTEXT);
    byte[] preKeyEnvelope =
        Bytes.concat(
            new byte[] {2, 1},
            Documented.preKeyHeader(IK, IK_DH, EK, 1, 42L),
            Documented.header(RATCHET, 0, 0),
            CIPHERTEXT);
    JsonArrayBuilder invalid = Json.createArrayBuilder();
    invalid(invalid, "empty", new byte[0]);
    invalid(invalid, "versionOnly", new byte[] {2});
    invalid(invalid, "versionZero", with(normalEnvelope, 0, 0x00));
    invalid(invalid, "versionOneUnpadded", with(normalEnvelope, 0, 0x01));
    invalid(invalid, "versionThree", with(normalEnvelope, 0, 0x03));
    invalid(invalid, "typeZero", with(normalEnvelope, 1, 0x00));
    invalid(invalid, "typeThree", with(normalEnvelope, 1, 0x03));
    invalid(invalid, "normalShorterThanHeaderAndTag", Arrays.copyOf(normalEnvelope, 2 + 40 + 15));
    invalid(invalid, "normalTagOnly", Arrays.copyOf(normalEnvelope, 2 + 40 + 16));
    invalid(invalid, "normalOneBlockLessOneByte", Arrays.copyOf(normalEnvelope, 2 + 40 + 271));
    invalid(invalid, "normalOneBlockPlusOneByte", Bytes.concat(normalEnvelope, new byte[] {0}));
    invalid(
        invalid,
        "preKeyShorterThanHeadersAndTag",
        Arrays.copyOf(preKeyEnvelope, 2 + 113 + 40 + 15));
    invalid(invalid, "preKeyTagOnly", Arrays.copyOf(preKeyEnvelope, 2 + 113 + 40 + 16));
    invalid(invalid, "preKeyTypeWithNormalLayout", with(normalEnvelope, 1, 0x01));
    invalid(invalid, "oneTimePreKeyFlagTwo", with(preKeyEnvelope, 2 + 104, 0x02));
    invalid(invalid, "oneTimePreKeyIdWithFlagZero", with(preKeyEnvelope, 2 + 104, 0x00));
    invalid(invalid, "signedPreKeyIdTopBitSet", with(preKeyEnvelope, 2 + 96, 0x80));
    invalid(invalid, "oneTimePreKeyIdTopBitSet", with(preKeyEnvelope, 2 + 105, 0x80));
    invalid(
        invalid, "baseKeyTopBitSet", with(preKeyEnvelope, 2 + 95, preKeyEnvelope[2 + 95] | 0x80));

    return Json.createObjectBuilder()
        .add(
            "description",
            "SecureCom peer protocol v2 envelopes (the relay's opaque 'envelope', before base64),"
                + " padding and message payloads. 'valid' envelopes give each field and the bytes; their ciphertext is a"
                + " placeholder, since parsing never looks inside. Every parser MUST refuse 'invalid' envelopes."
                + " 'padding' gives content and its padded form ('valid') and padded plaintexts every receiver MUST"
                + " refuse ('invalid'). 'payloads' are the JSON content: 'canonical' marks the encoder's exact output;"
                + " 'fromDevice' and 'toDevice' are 1 where the member is absent; a 'sent' transcript also"
                + " gives 'to' and 'body', and is valid only between two devices of one account (a check of"
                + " the receiver, not of the decoder). A 'groupText' gives 'group' (the group id) and"
                + " 'body', a 'groupUpdate' 'group' (the state, as groups.json writes states); a"
                + " client without groups refuses both as it refuses any unknown type."
                + " Byte strings are lowercase hex.")
        .add("generator", EnvelopeVectorsGenerator.class.getName())
        .add("valid", valid)
        .add("invalid", invalid)
        .add("padding", padding())
        .add("payloads", payloads())
        .build();
  }

  private static JsonObjectBuilder preKey(
      String name, long spkId, Long opkId, byte[] ratchet, long pn, long n, byte[] ciphertext)
      throws DecryptionFailedException {
    byte[] envelope =
        Bytes.concat(
            new byte[] {2, 1},
            Documented.preKeyHeader(IK, IK_DH, EK, spkId, opkId),
            Documented.header(ratchet, pn, n),
            ciphertext);
    Envelope parsed = Envelope.parse(envelope);
    same(name, envelope, parsed.toBytes());
    if (!(parsed instanceof Envelope.PreKeyMessage p)
        || p.preKey().signedPreKeyId() != spkId
        || p.preKey().oneTimePreKeyId().isPresent() != (opkId != null)
        || p.header().counter() != n) {
      throw new IllegalStateException(name + " parses differently");
    }
    JsonObjectBuilder json =
        Json.createObjectBuilder()
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

  private static JsonObjectBuilder normal(
      String name, byte[] ratchet, long pn, long n, byte[] ciphertext)
      throws DecryptionFailedException {
    byte[] envelope =
        Bytes.concat(new byte[] {2, 2}, Documented.header(ratchet, pn, n), ciphertext);
    Envelope parsed = Envelope.parse(envelope);
    same(name, envelope, parsed.toBytes());
    if (!(parsed instanceof Envelope.NormalMessage)
        || parsed.header().previousCounter() != pn
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

  private static JsonObjectBuilder padding() throws DecryptionFailedException {
    JsonArrayBuilder valid = Json.createArrayBuilder();
    for (int length : new int[] {0, 1, 254, 255, 256, 511, 512}) {
      byte[] content = new byte[length];
      Arrays.fill(content, (byte) 0x61);
      if (length > 1) {
        content[length - 1] =
            (byte) 0x80; // content may end in the mark byte or in zeros: only the last 0x80 counts
        content[length - 2] = 0;
      }
      byte[] padded = Documented.pad(content);
      same("padding " + length, padded, Padding.pad(content));
      same("unpadding " + length, content, Padding.unpad(padded));
      valid.add(
          Json.createObjectBuilder()
              .add("name", "content" + length)
              .add("content", hex(content))
              .add("padded", hex(padded)));
    }
    byte[] good = Documented.pad(new byte[] {0x61});
    JsonArrayBuilder invalid = Json.createArrayBuilder();
    invalidPadding(invalid, "empty", new byte[0]);
    invalidPadding(invalid, "allZeros", new byte[256]);
    invalidPadding(invalid, "notABlockLonger", Bytes.concat(good, new byte[] {0}));
    invalidPadding(invalid, "notABlockShorter", Arrays.copyOf(good, 255));
    invalidPadding(invalid, "markNot0x80", with(good, 1, 0x81));
    invalidPadding(invalid, "lastByteNeitherZeroNorMark", with(good, 255, 0x01));
    return Json.createObjectBuilder().add("valid", valid).add("invalid", invalid);
  }

  private static void invalidPadding(JsonArrayBuilder out, String name, byte[] padded) {
    try {
      Padding.unpad(padded);
      throw new IllegalStateException(name + " was accepted by the implementation");
    } catch (DecryptionFailedException expected) {
      out.add(Json.createObjectBuilder().add("name", name).add("padded", hex(padded)));
    }
  }

  private static final String T = "\"sentAt\":\"2025-01-01T12:00:00.000Z\"";

  /** A valid text payload with {@code members} appended. */
  private static String textWith(String members) {
    return "{\"id\":\"m0\",\"type\":\"text\"," + T + ",\"body\":\"Hi\"" + members + "}";
  }

  private static JsonObjectBuilder payloads() {
    String[][] valid = {
      {"text", "{\"id\":\"m0-3f1c2d4e\",\"type\":\"text\"," + T + ",\"body\":\"Hi Bob\"}"},
      {
        "textSecondsOnly",
        "{\"id\":\"m1\",\"type\":\"text\",\"sentAt\":\"2025-01-01T12:00:00Z\",\"body\":\"x\"}"
      },
      {
        "textNanoseconds",
        "{\"id\":\"m1\",\"type\":\"text\",\"sentAt\":\"2025-01-01T12:00:00.123456789Z\","
            + "\"body\":\"x\"}"
      },
      {
        "textEscapesAndUnicode",
        "{\"id\":\"A_z-9\",\"type\":\"text\",\"sentAt\":\"2025-06-30T23:59:59.999Z\","
            + "\"body\":\"line 1\\nline 2 \\\"quoted\\\" caf\u00e9 \uD83D\uDE00\"}"
      },
      {"textOtherMemberOrder", "{\"body\":\"Hi\"," + T + ",\"type\":\"text\",\"id\":\"m2\"}"},
      {
        "textUnknownMemberIgnored",
        "{\"id\":\"m3\",\"type\":\"text\"," + T + ",\"body\":\"Hi\",\"replyTo\":\"m2\"}"
      },
      {
        "receiptDelivered",
        "{\"id\":\"r0\",\"type\":\"receipt\","
            + T
            + ",\"receipt\":\"delivered\","
            + "\"of\":[\"m0-3f1c2d4e\"]}"
      },
      {
        "receiptReadTwo",
        "{\"id\":\"r1\",\"type\":\"receipt\"," + T + ",\"receipt\":\"read\",\"of\":[\"m1\",\"m2\"]}"
      },
      {
        "receiptUndecryptable",
        "{\"id\":\"r2\",\"type\":\"receipt\","
            + T
            + ",\"receipt\":\"undecryptable\","
            + "\"of\":[\"m3\"]}"
      },
      {
        "receiptHundredIds",
        "{\"id\":\"r3\",\"type\":\"receipt\","
            + T
            + ",\"receipt\":\"delivered\",\"of\":["
            + String.join(
                ",",
                java.util.stream.IntStream.range(0, 100).mapToObj(i -> "\"m" + i + "\"").toList())
            + "]}"
      },
      {
        "textFromDevice2ToDevice3",
        "{\"id\":\"m4\",\"type\":\"text\","
            + T
            + ",\"body\":\"Hi\",\"fromDevice\":2,\"toDevice\":3}"
      },
      {
        "receiptToDevice9",
        "{\"id\":\"r4\",\"type\":\"receipt\","
            + T
            + ",\"receipt\":\"delivered\",\"of\":[\"m4\"],\"toDevice\":9}"
      },
      {
        "sentFromDevice2",
        "{\"id\":\"m6\",\"type\":\"sent\","
            + T
            + ",\"to\":\"bob\",\"body\":\"Hi Bob\",\"fromDevice\":2}"
      },
      {
        "sentToDevice3OtherOrder",
        "{\"body\":\"x\",\"to\":\"carol.b_2-x\",\"toDevice\":3,\"type\":\"sent\",\"id\":\"m7\","
            + T
            + "}"
      },
      {
        "textDevicesFirstHighestId",
        "{\"toDevice\":999999999,\"fromDevice\":5,\"id\":\"m5\",\"type\":\"text\","
            + T
            + ",\"body\":\"Hi\"}"
      },
    };
    String[][] invalid = {
      {"notJson", "hello"},
      {"array", "[\"m0\",\"text\",\"Hi\"]"},
      {"string", "\"m0\""},
      {"version1Payload", "{\"id\":\"m0\",\"body\":\"Hi\",\"sentAt\":\"2025-01-01T12:00:00Z\"}"},
      {"missingId", "{\"type\":\"text\"," + T + ",\"body\":\"Hi\"}"},
      {"missingType", "{\"id\":\"m0\"," + T + ",\"body\":\"Hi\"}"},
      {"unknownType", "{\"id\":\"m0\",\"type\":\"poll\"," + T + ",\"body\":\"Hi\"}"},
      {"typeUpperCase", "{\"id\":\"m0\",\"type\":\"TEXT\"," + T + ",\"body\":\"Hi\"}"},
      {"missingSentAt", "{\"id\":\"m0\",\"type\":\"text\",\"body\":\"Hi\"}"},
      {"textMissingBody", "{\"id\":\"m0\",\"type\":\"text\"," + T + "}"},
      {"textEmptyBody", "{\"id\":\"m0\",\"type\":\"text\"," + T + ",\"body\":\"\"}"},
      {
        "textBodyTooLong",
        "{\"id\":\"m0\",\"type\":\"text\"," + T + ",\"body\":\"" + "x".repeat(60_001) + "\"}"
      },
      {"idNumber", "{\"id\":7,\"type\":\"text\"," + T + ",\"body\":\"Hi\"}"},
      {"bodyNull", "{\"id\":\"m0\",\"type\":\"text\"," + T + ",\"body\":null}"},
      {"bodyObject", "{\"id\":\"m0\",\"type\":\"text\"," + T + ",\"body\":{}}"},
      {"idEmpty", "{\"id\":\"\",\"type\":\"text\"," + T + ",\"body\":\"Hi\"}"},
      {"idWithSpace", "{\"id\":\"m 0\",\"type\":\"text\"," + T + ",\"body\":\"Hi\"}"},
      {
        "idTooLong",
        "{\"id\":\"" + "a".repeat(65) + "\",\"type\":\"text\"," + T + ",\"body\":\"Hi\"}"
      },
      {
        "sentAtNotATime",
        "{\"id\":\"m0\",\"type\":\"text\",\"sentAt\":\"yesterday\",\"body\":\"Hi\"}"
      },
      {
        "sentAtWithoutZone",
        "{\"id\":\"m0\",\"type\":\"text\",\"sentAt\":\"2025-01-01T12:00:00\",\"body\":\"Hi\"}"
      },
      {
        "sentAtWithOffset",
        "{\"id\":\"m0\",\"type\":\"text\",\"sentAt\":\"2025-01-01T12:00:00+00:00\",\"body\":\"Hi\"}"
      },
      {
        "sentAtWithoutSeconds",
        "{\"id\":\"m0\",\"type\":\"text\",\"sentAt\":\"2025-01-01T12:00Z\",\"body\":\"Hi\"}"
      },
      {
        "sentAtLowerCase",
        "{\"id\":\"m0\",\"type\":\"text\",\"sentAt\":\"2025-01-01t12:00:00z\",\"body\":\"Hi\"}"
      },
      {
        "sentAtFebruary30",
        "{\"id\":\"m0\",\"type\":\"text\",\"sentAt\":\"2025-02-30T12:00:00Z\",\"body\":\"Hi\"}"
      },
      {
        "sentAtTenFractionDigits",
        "{\"id\":\"m0\",\"type\":\"text\",\"sentAt\":\"2025-01-01T12:00:00.1234567890Z\","
            + "\"body\":\"Hi\"}"
      },
      {
        "receiptUnknownKind",
        "{\"id\":\"r0\",\"type\":\"receipt\"," + T + ",\"receipt\":\"seen\",\"of\":[\"m0\"]}"
      },
      {
        "receiptEmptyOf",
        "{\"id\":\"r0\",\"type\":\"receipt\"," + T + ",\"receipt\":\"read\",\"of\":[]}"
      },
      {
        "receiptOfNotArray",
        "{\"id\":\"r0\",\"type\":\"receipt\"," + T + ",\"receipt\":\"read\",\"of\":\"m0\"}"
      },
      {
        "receiptOfNumber",
        "{\"id\":\"r0\",\"type\":\"receipt\"," + T + ",\"receipt\":\"read\",\"of\":[7]}"
      },
      {
        "receiptOfInvalidId",
        "{\"id\":\"r0\",\"type\":\"receipt\"," + T + ",\"receipt\":\"read\",\"of\":[\"m 0\"]}"
      },
      {
        "receiptOfRepeated",
        "{\"id\":\"r0\",\"type\":\"receipt\"," + T + ",\"receipt\":\"read\",\"of\":[\"m0\",\"m0\"]}"
      },
      {
        "receiptOf101Ids",
        "{\"id\":\"r0\",\"type\":\"receipt\","
            + T
            + ",\"receipt\":\"read\",\"of\":["
            + String.join(
                ",",
                java.util.stream.IntStream.range(0, 101).mapToObj(i -> "\"m" + i + "\"").toList())
            + "]}"
      },
      {"receiptMissingKind", "{\"id\":\"r0\",\"type\":\"receipt\"," + T + ",\"of\":[\"m0\"]}"},
      {
        "sentMissingTo",
        "{\"id\":\"m0\",\"type\":\"sent\"," + T + ",\"body\":\"Hi\",\"fromDevice\":2}"
      },
      {
        "sentToNotAUsername",
        "{\"id\":\"m0\",\"type\":\"sent\","
            + T
            + ",\"to\":\"Bob\",\"body\":\"Hi\",\"fromDevice\":2}"
      },
      {
        "sentToNumber",
        "{\"id\":\"m0\",\"type\":\"sent\"," + T + ",\"to\":7,\"body\":\"Hi\",\"fromDevice\":2}"
      },
      {
        "sentMissingBody",
        "{\"id\":\"m0\",\"type\":\"sent\"," + T + ",\"to\":\"bob\",\"fromDevice\":2}"
      },
      {
        "sentEmptyBody",
        "{\"id\":\"m0\",\"type\":\"sent\"," + T + ",\"to\":\"bob\",\"body\":\"\",\"fromDevice\":2}"
      },
      {"fromDeviceOneWritten", textWith(",\"fromDevice\":1")},
      {"toDeviceOneWritten", textWith(",\"toDevice\":1")},
      {"fromDeviceZero", textWith(",\"fromDevice\":0")},
      {"toDeviceNegative", textWith(",\"toDevice\":-2")},
      {"fromDeviceString", textWith(",\"fromDevice\":\"2\"")},
      {"toDeviceFraction", textWith(",\"toDevice\":2.0")},
      {"fromDeviceExponent", textWith(",\"fromDevice\":2e0")},
      {"toDeviceTenDigits", textWith(",\"toDevice\":1000000000")},
      {"fromDeviceNull", textWith(",\"fromDevice\":null")},
      {
        "receiptToDeviceOneWritten",
        "{\"id\":\"r0\",\"type\":\"receipt\","
            + T
            + ",\"receipt\":\"read\",\"of\":[\"m0\"],\"toDevice\":1}"
      },
    };
    JsonArrayBuilder validJson = Json.createArrayBuilder();
    List<String[]> validCases = new ArrayList<>(List.of(valid));
    validCases.addAll(GroupPayloadCases.valid());
    List<String[]> invalidCases = new ArrayList<>(List.of(invalid));
    invalidCases.addAll(GroupPayloadCases.invalid());
    for (String[] v : validCases) {
      Optional<MessagePayload> decoded =
          MessagePayload.decode(v[1].getBytes(StandardCharsets.UTF_8));
      MessagePayload p = decoded.orElseThrow(() -> new IllegalStateException(v[0] + " refused"));
      boolean canonical = new String(p.encode(), StandardCharsets.UTF_8).equals(v[1]);
      JsonObjectBuilder json =
          Json.createObjectBuilder()
              .add("name", v[0])
              .add("json", v[1])
              .add("canonical", canonical)
              .add("id", p.id())
              .add("sentAt", MessagePayload.formatInstant(p.sentAt()))
              .add("fromDevice", p.fromDevice())
              .add("toDevice", p.toDevice());
      if (p instanceof MessagePayload.Text text) {
        json.add("type", "text").add("body", text.body());
      } else if (p instanceof MessagePayload.Sent sent) {
        json.add("type", "sent").add("to", sent.to()).add("body", sent.body());
      } else if (p instanceof MessagePayload.Receipt receipt) {
        json.add("type", "receipt")
            .add("receipt", receipt.kind().wire())
            .add("of", Json.createArrayBuilder(receipt.of()));
      } else if (p instanceof MessagePayload.GroupText groupText) {
        json.add("type", "groupText")
            .add("group", groupText.group().hex())
            .add("body", groupText.body());
      } else if (p instanceof MessagePayload.GroupUpdate update) {
        json.add("type", "groupUpdate").add("group", GroupStateJson.toJson(update.group()));
      }
      validJson.add(json);
    }
    JsonArrayBuilder invalidJson = Json.createArrayBuilder();
    for (String[] v : invalidCases) {
      if (MessagePayload.decode(v[1].getBytes(StandardCharsets.UTF_8)).isPresent()) {
        throw new IllegalStateException(v[0] + " accepted");
      }
      invalidJson.add(Json.createObjectBuilder().add("name", v[0]).add("json", v[1]));
    }
    return Json.createObjectBuilder().add("valid", validJson).add("invalid", invalidJson);
  }
}
