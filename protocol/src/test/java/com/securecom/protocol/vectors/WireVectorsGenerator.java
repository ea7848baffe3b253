package com.securecom.protocol.vectors;

import com.securecom.protocol.wire.MalformedMessageException;
import com.securecom.protocol.wire.WireCodec;
import com.securecom.protocol.wire.WireMessage;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code vectors/wire.json}: channel messages as JSON text and the message each one means,
 * plus texts every decoder must refuse.
 *
 * <ul>
 *   <li>{@code valid[]}: {@code json} decodes to {@code message} (a flat object of the message's
 *       string fields). Where {@code canonical} is true, {@code json} is also exactly what the Java
 *       encoder writes; other implementations need not match it byte for byte, only decode it.
 *   <li>{@code invalid[]}: {@code json} (UTF-8 text) or {@code hex} (raw bytes) must be refused as
 *       malformed.
 * </ul>
 *
 * <p>Run from the repository root: {@code java -cp ...
 * com.securecom.protocol.vectors.WireVectorsGenerator [dir]}.
 */
public final class WireVectorsGenerator {
  static final String ID = "0b7f5b2c-8a7e-4b39-9a55-3f1c2d4e6a01";
  static final String ENVELOPE = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

  private static final WireCodec CODEC = new WireCodec();

  private WireVectorsGenerator() {}

  public static void main(String[] args) throws Exception {
    Path directory = args.length > 0 ? Path.of(args[0]) : VectorFiles.DEFAULT_DIRECTORY;
    Path file = directory.resolve("wire.json");
    VectorFiles.write(file, build());
    System.out.println("wrote " + file.toAbsolutePath());
  }

  /** One example of every message type, as the Java encoder writes them. */
  public static List<WireMessage> canonicalMessages() {
    return List.of(
        new WireMessage.Auth("vectors-only-bearer-token-0123456789abcdef"),
        new WireMessage.Auth("vectors-only-bearer-token-0123456789abcdef", 2),
        new WireMessage.Auth("vectors-only-bearer-token-0123456789abcdef", 3),
        new WireMessage.Ready("alice"),
        new WireMessage.Ready("alice", 2),
        new WireMessage.Ready("alice", 3),
        new WireMessage.Send(ID, "bob", ENVELOPE),
        new WireMessage.Accepted(ID),
        new WireMessage.Deliver(ID, "alice", ENVELOPE, "2025-01-01T12:00:00Z"),
        new WireMessage.Ack(ID, "alice"),
        new WireMessage.Delivered(ID, "bob"),
        new WireMessage.Relayed(ID, "bob"),
        new WireMessage.ReceiptAck(ID),
        new WireMessage.Ping(),
        new WireMessage.Pong(),
        new WireMessage.CaughtUp(),
        new WireMessage.Error(ID, "unknown_recipient", "no such user"),
        new WireMessage.Error(null, "example_code", "an error that is not about one message"));
  }

  public static JsonObject build() throws MalformedMessageException {
    JsonArrayBuilder valid = Json.createArrayBuilder();
    for (WireMessage message : canonicalMessages()) {
      String json = new String(CODEC.encode(message), StandardCharsets.UTF_8);
      String name =
          message.type()
              + (message instanceof WireMessage.Error e && e.id() == null ? " without id" : "")
              + (fields(message).containsKey("version")
                  ? " version " + fields(message).get("version")
                  : "");
      valid.add(validCase(name, json, true, message));
    }
    valid.add(
        validCase(
            "key order and whitespace do not matter",
            "{ \"envelope\" : \""
                + ENVELOPE
                + "\",\n  \"to\": \"bob\",\t\"id\": \""
                + ID
                + "\", \"type\": \"send\" }",
            false,
            new WireMessage.Send(ID, "bob", ENVELOPE)));
    valid.add(
        validCase(
            "unknown fields are ignored",
            "{\"type\":\"accepted\",\"id\":\"m1\",\"future\":{\"nested\":[1,2.5e3,true,null]},\"n\":42}",
            false,
            new WireMessage.Accepted("m1")));
    valid.add(
        validCase(
            "string escapes are decoded",
            "{\"type\":\"ready\",\"username\":\"caf\\u00e9 \\\"q\\\" \\\\ \\/\"}",
            false,
            new WireMessage.Ready("caf\u00e9 \"q\" \\ /")));
    valid.add(
        validCase(
            "id of 64 characters",
            "{\"type\":\"receiptAck\",\"id\":\"" + "a".repeat(64) + "\"}",
            false,
            new WireMessage.ReceiptAck("a".repeat(64))));
    valid.add(
        validCase(
            "id of every allowed character class",
            "{\"type\":\"accepted\",\"id\":\"AZaz09_-\"}",
            false,
            new WireMessage.Accepted("AZaz09_-")));

    List<String[]> invalid = new ArrayList<>();
    invalid.add(new String[] {"empty input", ""});
    invalid.add(new String[] {"not JSON", "hello"});
    invalid.add(new String[] {"truncated object", "{\"type\":\"accepted\",\"id\":\"m1\""});
    invalid.add(new String[] {"array", "[{\"type\":\"accepted\",\"id\":\"m1\"}]"});
    invalid.add(new String[] {"string", "\"accepted\""});
    invalid.add(new String[] {"number", "42"});
    invalid.add(new String[] {"null", "null"});
    invalid.add(new String[] {"missing type", "{\"id\":\"m1\"}"});
    invalid.add(new String[] {"type not a string", "{\"type\":1,\"id\":\"m1\"}"});
    invalid.add(new String[] {"unknown type", "{\"type\":\"hello\",\"id\":\"m1\"}"});
    invalid.add(new String[] {"type is case-sensitive", "{\"type\":\"Accepted\",\"id\":\"m1\"}"});
    invalid.add(new String[] {"missing field", "{\"type\":\"send\",\"id\":\"m1\",\"to\":\"bob\"}"});
    invalid.add(new String[] {"field is a number", "{\"type\":\"auth\",\"token\":12345}"});
    invalid.add(new String[] {"field is null", "{\"type\":\"ready\",\"username\":null}"});
    invalid.add(
        new String[] {"field is an object", "{\"type\":\"ack\",\"id\":\"m1\",\"from\":{}}"});
    invalid.add(new String[] {"empty id", "{\"type\":\"accepted\",\"id\":\"\"}"});
    invalid.add(
        new String[] {
          "id of 65 characters", "{\"type\":\"accepted\",\"id\":\"" + "a".repeat(65) + "\"}"
        });
    invalid.add(new String[] {"id with a dot", "{\"type\":\"accepted\",\"id\":\"m.1\"}"});
    invalid.add(new String[] {"id with a space", "{\"type\":\"accepted\",\"id\":\"m 1\"}"});
    invalid.add(
        new String[] {"id with a non-ASCII letter", "{\"type\":\"accepted\",\"id\":\"m\u00e9\"}"});
    invalid.add(
        new String[] {
          "error id null", "{\"type\":\"error\",\"id\":null,\"code\":\"x\",\"message\":\"y\"}"
        });
    invalid.add(
        new String[] {
          "number out of range", "{\"type\":\"accepted\",\"id\":\"m1\",\"n\":1e9999999999}"
        });
    invalid.add(
        new String[] {
          "version is a string", "{\"type\":\"auth\",\"token\":\"t\",\"version\":\"2\"}"
        });
    invalid.add(
        new String[] {
          "version with a fraction", "{\"type\":\"auth\",\"token\":\"t\",\"version\":2.0}"
        });
    invalid.add(
        new String[] {
          "version with an exponent", "{\"type\":\"auth\",\"token\":\"t\",\"version\":2e0}"
        });
    invalid.add(new String[] {"version 0", "{\"type\":\"auth\",\"token\":\"t\",\"version\":0}"});
    invalid.add(
        new String[] {"version negative", "{\"type\":\"auth\",\"token\":\"t\",\"version\":-2}"});
    List<String[]> invalidBytes =
        List.of(
            new String[] {"invalid UTF-8 in a string", "7b2274797065223a22ff227d"},
            new String[] {
              "byte-order mark before the object", "efbbbf" + hex("{\"type\":\"ping\"}")
            },
            new String[] {
              "overlong UTF-8 (0xc0 0xaf for '/')",
              hex("{\"type\":\"ping\",\"x\":\"") + "c0af" + hex("\"}")
            },
            new String[] {
              "UTF-8 of a surrogate (0xed 0xa0 0x80)",
              hex("{\"type\":\"ping\",\"x\":\"") + "eda080" + hex("\"}")
            },
            new String[] {"UTF-16LE text", hexUtf16Le("{\"type\":\"ping\"}")},
            new String[] {
              "truncated UTF-8 sequence at the end", hex("{\"type\":\"ping\"}") + "e2"
            });

    JsonArrayBuilder invalidArray = Json.createArrayBuilder();
    for (String[] c : invalid) {
      mustFail(c[0], c[1].getBytes(StandardCharsets.UTF_8));
      invalidArray.add(Json.createObjectBuilder().add("name", c[0]).add("json", c[1]));
    }
    for (String[] c : invalidBytes) {
      mustFail(c[0], VectorFiles.unhex(c[1]));
      invalidArray.add(Json.createObjectBuilder().add("name", c[0]).add("hex", c[1]));
    }

    return Json.createObjectBuilder()
        .add(
            "description",
            "SecureCom channel messages (the plaintext of channel frames), UTF-8 JSON. valid[].json"
                + " decodes to valid[].message; where canonical is true it is also the Java encoder's exact output."
                + " invalid[] must be refused as malformed. See docs/protocol.md.")
        .add("generator", WireVectorsGenerator.class.getName())
        .add("valid", valid)
        .add("invalid", invalidArray)
        .build();
  }

  /** The message's fields as a flat map, {@code type} first; an error's null id is left out. */
  public static Map<String, String> fields(WireMessage message) {
    FlatFields fields = new FlatFields();
    fields.put("type", message.type());
    if (message instanceof WireMessage.ClientMessage m) {
      m.accept(fields);
    } else {
      ((WireMessage.ServerMessage) message).accept(fields);
    }
    return fields;
  }

  /**
   * Each message's fields, one method per type (so a new type cannot be left out of the vectors
   * unnoticed).
   */
  private static final class FlatFields extends LinkedHashMap<String, String>
      implements WireMessage.ClientMessage.Visitor<RuntimeException>,
          WireMessage.ServerMessage.Visitor<RuntimeException> {
    private static final long serialVersionUID = 1L;

    @Override
    public void auth(WireMessage.Auth m) {
      put("token", m.token());
      version(m.version());
    }

    @Override
    public void ready(WireMessage.Ready m) {
      put("username", m.username());
      version(m.version());
    }

    private void version(int version) {
      if (version != 1) {
        put("version", Integer.toString(version));
      }
    }

    @Override
    public void send(WireMessage.Send m) {
      put("id", m.id());
      put("to", m.to());
      put("envelope", m.envelope());
    }

    @Override
    public void accepted(WireMessage.Accepted m) {
      put("id", m.id());
    }

    @Override
    public void deliver(WireMessage.Deliver m) {
      put("id", m.id());
      put("from", m.from());
      put("envelope", m.envelope());
      put("sentAt", m.sentAt());
    }

    @Override
    public void ack(WireMessage.Ack m) {
      put("id", m.id());
      put("from", m.from());
    }

    @Override
    public void delivered(WireMessage.Delivered m) {
      put("id", m.id());
      put("to", m.to());
    }

    @Override
    public void relayed(WireMessage.Relayed m) {
      put("id", m.id());
      put("to", m.to());
    }

    @Override
    public void receiptAck(WireMessage.ReceiptAck m) {
      put("id", m.id());
    }

    @Override
    public void error(WireMessage.Error m) {
      if (m.id() != null) {
        put("id", m.id());
      }
      put("code", m.code());
      put("message", m.message());
    }

    @Override
    public void preKeysLow(WireMessage.PreKeysLow m) {
      put("count", m.count());
    }

    @Override
    public void ping(WireMessage.Ping m) {}

    @Override
    public void pong(WireMessage.Pong m) {}

    @Override
    public void caughtUp(WireMessage.CaughtUp m) {}
  }

  private static JsonObjectBuilder validCase(
      String name, String json, boolean canonical, WireMessage expected)
      throws MalformedMessageException {
    WireMessage decoded = CODEC.decode(json.getBytes(StandardCharsets.UTF_8));
    if (!decoded.equals(expected)) {
      throw new IllegalStateException(name + ": decodes to " + decoded + ", expected " + expected);
    }
    JsonObjectBuilder message = Json.createObjectBuilder();
    fields(expected)
        .forEach(
            (k, v) -> {
              if (k.equals("version")) {
                message.add(k, Integer.parseInt(v)); // a JSON number, as on the wire
              } else {
                message.add(k, v);
              }
            });
    return Json.createObjectBuilder()
        .add("name", name)
        .add("json", json)
        .add("canonical", canonical)
        .add("message", message);
  }

  private static String hex(String text) {
    return java.util.HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String hexUtf16Le(String text) {
    return java.util.HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_16LE));
  }

  private static void mustFail(String name, byte[] input) {
    try {
      WireMessage decoded = CODEC.decode(input);
      throw new IllegalStateException(name + ": decoded to " + decoded + " but must be refused");
    } catch (MalformedMessageException expected) {
      // as documented
    }
  }
}
