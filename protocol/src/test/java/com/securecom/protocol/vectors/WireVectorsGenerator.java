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
import java.util.List;

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
        new WireMessage.Error(null, "example_code", "an error that is not about one message"),
        // version 4 (linked devices)
        new WireMessage.Auth("vectors-only-bearer-token-0123456789abcdef", 4),
        new WireMessage.Ready("alice", 4, 2),
        new WireMessage.Send(
            ID,
            List.of(
                new WireMessage.Copy("bob", 1, ENVELOPE),
                new WireMessage.Copy("bob", 3, ENVELOPE),
                new WireMessage.Copy("alice", 2, ENVELOPE))),
        new WireMessage.Deliver(ID, "alice", 1, ENVELOPE, "2025-01-01T12:00:00.000Z"),
        new WireMessage.Ack(ID, "alice", 1),
        new WireMessage.Delivered(ID, "bob", 3),
        new WireMessage.Relayed(ID, "bob", 3),
        new WireMessage.ReceiptAck(ID, "bob", 3),
        new WireMessage.Error(
            ID,
            "stale_devices",
            "the device set changed",
            List.of(
                new WireMessage.UserDevices("bob", 5, List.of(1, 4)),
                new WireMessage.UserDevices("alice", 3, List.of()))),
        new WireMessage.Error(
            ID,
            "queue_full",
            "a device's queue is full",
            List.of(new WireMessage.UserDevices("bob", 5, List.of(4)))),
        new WireMessage.DevicesChanged(6),
        // version 5 (groups): no new message or member, only the version and the bounds
        new WireMessage.Auth("vectors-only-bearer-token-0123456789abcdef", 5),
        new WireMessage.Ready("alice", 5, 2));
  }

  /** A vector's name: the type, and what sets it apart from the other examples of its type. */
  private static String name(WireMessage message) {
    JsonObject fields = fields(message);
    String name = message.type();
    if (message instanceof WireMessage.Error e) {
      name += e.id() == null ? " without id" : "";
      name += e.devices() != null ? " " + e.code() : "";
    }
    if (fields.containsKey("version")) {
      return name + " version " + fields.get("version");
    }
    return message.minimumVersion() == WireMessage.DEVICES_VERSION ? name + " version 4" : name;
  }

  /** {@code count} copies of the canonical envelope to bob's devices 1, 2, ... */
  private static String copies(int count) {
    StringBuilder json = new StringBuilder("[");
    for (int device = 1; device <= count; device++) {
      json.append(device > 1 ? "," : "")
          .append("{\"to\":\"bob\",\"device\":")
          .append(device)
          .append(",\"envelope\":\"")
          .append(ENVELOPE)
          .append("\"}");
    }
    return json.append(']').toString();
  }

  private static List<WireMessage.Copy> copyList(int count) {
    List<WireMessage.Copy> copies = new ArrayList<>();
    for (int device = 1; device <= count; device++) {
      copies.add(new WireMessage.Copy("bob", device, ENVELOPE));
    }
    return copies;
  }

  /** A version 4 send whose one copy is {@code copy} (JSON object text). */
  private static String sendWithCopy(String copy) {
    return "{\"type\":\"send\",\"id\":\"m1\",\"copies\":[" + copy + "]}";
  }

  /** A version 4 stale_devices error whose {@code devices} is {@code devices} (JSON text). */
  private static String errorWithDevices(String devices) {
    return "{\"type\":\"error\",\"id\":\"m1\",\"code\":\"stale_devices\",\"message\":\"m\","
        + "\"devices\":"
        + devices
        + "}";
  }

  /** The version 4 valid cases beyond the canonical examples: bounds and tolerated forms. */
  private static void addVersion4Valid(JsonArrayBuilder valid) throws MalformedMessageException {
    valid.add(
        validCase(
            "send version 4 with 32 copies (the most a version 4 connection may send)",
            "{\"type\":\"send\",\"id\":\"m1\",\"copies\":" + copies(32) + "}",
            true,
            new WireMessage.Send("m1", copyList(32))));
    valid.add(
        validCase(
            "send version 4 with 33 copies (decoded; a version 4 connection's send is refused"
                + " by the server, invalid_copies)",
            "{\"type\":\"send\",\"id\":\"m1\",\"copies\":" + copies(33) + "}",
            true,
            new WireMessage.Send("m1", copyList(33))));
    valid.add(
        validCase(
            "send version 5 with 1,024 copies (the most)",
            "{\"type\":\"send\",\"id\":\"m1\",\"copies\":" + copies(WireMessage.MAX_COPIES) + "}",
            true,
            new WireMessage.Send("m1", copyList(WireMessage.MAX_COPIES))));
    valid.add(
        validCase(
            "error devices of 33 users",
            errorWithDevices(usersText(33)),
            true,
            new WireMessage.Error("m1", "stale_devices", "m", userList(33))));
    valid.add(
        validCase(
            "error devices of 1,024 users (the most, version 5)",
            errorWithDevices(usersText(WireMessage.MAX_COPIES)),
            true,
            new WireMessage.Error("m1", "stale_devices", "m", userList(WireMessage.MAX_COPIES))));
    valid.add(
        validCase(
            "unknown members of a copy are ignored",
            sendWithCopy("{\"envelope\":\"AAEC\",\"future\":[1.5,{}],\"device\":7,\"to\":\"bob\"}"),
            false,
            new WireMessage.Send("m1", List.of(new WireMessage.Copy("bob", 7, "AAEC")))));
    valid.add(
        validCase(
            "device 999999999 (the highest)",
            "{\"type\":\"ack\",\"id\":\"m1\",\"from\":\"alice\",\"device\":999999999}",
            true,
            new WireMessage.Ack("m1", "alice", 999_999_999)));
    valid.add(
        validCase(
            "devicesChanged serial 0 (no list yet)",
            "{\"type\":\"devicesChanged\",\"serial\":0}",
            true,
            new WireMessage.DevicesChanged(0)));
    valid.add(
        validCase(
            "devicesChanged serial 9007199254740991 (2^53 - 1, the highest)",
            "{\"type\":\"devicesChanged\",\"serial\":9007199254740991}",
            true,
            new WireMessage.DevicesChanged(9_007_199_254_740_991L)));
    valid.add(
        validCase(
            "unknown members of a devices entry are ignored",
            errorWithDevices("[{\"ids\":[2],\"x\":null,\"serial\":1,\"user\":\"bob\"}]"),
            false,
            new WireMessage.Error(
                "m1",
                "stale_devices",
                "m",
                List.of(new WireMessage.UserDevices("bob", 1, List.of(2))))));
  }

  /** Version 4 texts every decoder must refuse: each rule of docs/protocol.md broken once. */
  private static void addVersion4Invalid(List<String[]> invalid) {
    String copy = "\"to\":\"bob\",\"envelope\":\"AAEC\"";
    invalid.add(new String[] {"copies empty", "{\"type\":\"send\",\"id\":\"m1\",\"copies\":[]}"});
    invalid.add(
        new String[] {
          "1,025 copies",
          "{\"type\":\"send\",\"id\":\"m1\",\"copies\":" + copies(WireMessage.MAX_COPIES + 1) + "}"
        });
    invalid.add(
        new String[] {"copies not an array", "{\"type\":\"send\",\"id\":\"m1\",\"copies\":{}}"});
    invalid.add(new String[] {"copies null", "{\"type\":\"send\",\"id\":\"m1\",\"copies\":null}"});
    invalid.add(new String[] {"a copy that is a string", sendWithCopy("\"bob\"")});
    invalid.add(new String[] {"a copy that is null", sendWithCopy("null")});
    invalid.add(new String[] {"a copy that is an array", sendWithCopy("[\"bob\",1,\"AAEC\"]")});
    invalid.add(
        new String[] {"a copy missing to", sendWithCopy("{\"device\":1,\"envelope\":\"AAEC\"}")});
    invalid.add(new String[] {"a copy missing device", sendWithCopy("{" + copy + "}")});
    invalid.add(
        new String[] {"a copy missing envelope", sendWithCopy("{\"to\":\"bob\",\"device\":1}")});
    invalid.add(
        new String[] {
          "a copy with to a number", sendWithCopy("{\"to\":1,\"device\":1,\"envelope\":\"AAEC\"}")
        });
    invalid.add(
        new String[] {
          "a copy with envelope null",
          sendWithCopy("{\"to\":\"bob\",\"device\":1,\"envelope\":null}")
        });
    for (String[] device : badDevices()) {
      invalid.add(
          new String[] {
            "a copy with device " + device[0],
            sendWithCopy("{" + copy + ",\"device\":" + device[1] + "}")
          });
      invalid.add(
          new String[] {
            "deliver with device " + device[0],
            "{\"type\":\"deliver\",\"id\":\"m1\",\"from\":\"alice\",\"device\":"
                + device[1]
                + ",\"envelope\":\"AAEC\",\"sentAt\":\"2025-01-01T12:00:00.000Z\"}"
          });
    }
    invalid.add(
        new String[] {
          "ack with device 0", "{\"type\":\"ack\",\"id\":\"m1\",\"from\":\"alice\",\"device\":0}"
        });
    invalid.add(
        new String[] {
          "delivered with device \"3\"",
          "{\"type\":\"delivered\",\"id\":\"m1\",\"to\":\"bob\",\"device\":\"3\"}"
        });
    invalid.add(
        new String[] {
          "relayed with device null",
          "{\"type\":\"relayed\",\"id\":\"m1\",\"to\":\"bob\",\"device\":null}"
        });
    invalid.add(
        new String[] {
          "send with copies and to and envelope (both forms)",
          "{\"type\":\"send\",\"id\":\"m1\",\"to\":\"bob\",\"envelope\":\"AAEC\",\"copies\":"
              + copies(1)
              + "}"
        });
    invalid.add(
        new String[] {
          "send with copies and to",
          "{\"type\":\"send\",\"id\":\"m1\",\"to\":\"bob\",\"copies\":" + copies(1) + "}"
        });
    invalid.add(
        new String[] {
          "send with copies and envelope",
          "{\"type\":\"send\",\"id\":\"m1\",\"envelope\":\"AAEC\",\"copies\":" + copies(1) + "}"
        });
    invalid.add(new String[] {"send with neither form", "{\"type\":\"send\",\"id\":\"m1\"}"});
    invalid.add(
        new String[] {
          "ready version 4 without device",
          "{\"type\":\"ready\",\"username\":\"alice\",\"version\":4}"
        });
    invalid.add(
        new String[] {
          "ready version 3 with device",
          "{\"type\":\"ready\",\"username\":\"alice\",\"version\":3,\"device\":1}"
        });
    invalid.add(
        new String[] {
          "ready without version with device",
          "{\"type\":\"ready\",\"username\":\"alice\",\"device\":1}"
        });
    invalid.add(
        new String[] {
          "receiptAck with to but no device",
          "{\"type\":\"receiptAck\",\"id\":\"m1\",\"to\":\"bob\"}"
        });
    invalid.add(
        new String[] {
          "receiptAck with device but no to", "{\"type\":\"receiptAck\",\"id\":\"m1\",\"device\":3}"
        });
    for (String[] serial :
        List.of(
            new String[] {"-1", "-1"},
            new String[] {"2^53", "9007199254740992"},
            new String[] {"a string", "\"1\""},
            new String[] {"1.0", "1.0"},
            new String[] {"1e0", "1e0"},
            new String[] {"-0", "-0"},
            new String[] {"null", "null"},
            new String[] {"of 17 digits", "10000000000000000"})) {
      invalid.add(
          new String[] {
            "devicesChanged serial " + serial[0],
            "{\"type\":\"devicesChanged\",\"serial\":" + serial[1] + "}"
          });
    }
    invalid.add(new String[] {"devicesChanged without serial", "{\"type\":\"devicesChanged\"}"});
    String bob = "{\"user\":\"bob\",\"serial\":5,\"ids\":[1,4]}";
    invalid.add(new String[] {"error devices empty", errorWithDevices("[]")});
    invalid.add(new String[] {"error devices not an array", errorWithDevices(bob)});
    invalid.add(new String[] {"error devices null", errorWithDevices("null")});
    invalid.add(
        new String[] {
          "error devices naming a user twice", errorWithDevices("[" + bob + "," + bob + "]")
        });
    invalid.add(
        new String[] {
          "error devices entry missing user", errorWithDevices("[{\"serial\":5,\"ids\":[1]}]")
        });
    invalid.add(
        new String[] {
          "error devices entry missing serial", errorWithDevices("[{\"user\":\"bob\",\"ids\":[1]}]")
        });
    invalid.add(
        new String[] {
          "error devices entry missing ids", errorWithDevices("[{\"user\":\"bob\",\"serial\":5}]")
        });
    for (String[] ids :
        List.of(
            new String[] {"not an array", "1"},
            new String[] {"with a string", "[\"1\"]"},
            new String[] {"with 0", "[0]"},
            new String[] {"with 1.0", "[1.0]"},
            new String[] {"with 10 digits", "[1000000000]"},
            new String[] {"out of order", "[4,1]"},
            new String[] {"repeating an id", "[1,1]"},
            new String[] {"of 33 ids", idsText(33)})) {
      invalid.add(
          new String[] {
            "error devices ids " + ids[0],
            errorWithDevices("[{\"user\":\"bob\",\"serial\":5,\"ids\":" + ids[1] + "}]")
          });
    }
    invalid.add(
        new String[] {
          "error devices serial 2^53",
          errorWithDevices("[{\"user\":\"bob\",\"serial\":9007199254740992,\"ids\":[1]}]")
        });
    invalid.add(
        new String[] {
          "error devices of 1,025 users", errorWithDevices(usersText(WireMessage.MAX_COPIES + 1))
        });
  }

  /** {@code count} entries of a devices member: users u1, u2, ..., each serial 1 and device 1. */
  private static String usersText(int count) {
    StringBuilder users = new StringBuilder("[");
    for (int i = 1; i <= count; i++) {
      users
          .append(i > 1 ? "," : "")
          .append("{\"user\":\"u")
          .append(i)
          .append("\",\"serial\":1,\"ids\":[1]}");
    }
    return users.append(']').toString();
  }

  private static List<WireMessage.UserDevices> userList(int count) {
    List<WireMessage.UserDevices> users = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      users.add(new WireMessage.UserDevices("u" + i, 1, List.of(1)));
    }
    return users;
  }

  /** Device ids every decoder must refuse: name and JSON text. */
  private static List<String[]> badDevices() {
    return List.of(
        new String[] {"0", "0"},
        new String[] {"\"1\" (a string)", "\"1\""},
        new String[] {"1.0", "1.0"},
        new String[] {"1e0", "1e0"},
        new String[] {"of 10 digits", "1000000000"},
        new String[] {"with a leading zero", "01"},
        new String[] {"-1", "-1"},
        new String[] {"null", "null"},
        new String[] {"true", "true"});
  }

  private static String idsText(int count) {
    StringBuilder json = new StringBuilder("[");
    for (int id = 1; id <= count; id++) {
      json.append(id > 1 ? "," : "").append(id);
    }
    return json.append(']').toString();
  }

  public static JsonObject build() throws MalformedMessageException {
    JsonArrayBuilder valid = Json.createArrayBuilder();
    for (WireMessage message : canonicalMessages()) {
      String json = new String(CODEC.encode(message), StandardCharsets.UTF_8);
      valid.add(validCase(name(message), json, true, message));
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
    addVersion4Valid(valid);

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
    addVersion4Invalid(invalid);
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

  /**
   * The message's members as the JSON object they are on the wire, {@code type} first, absent ones
   * (an error's null id, a device 0) left out: strings, and numbers for {@code version}, {@code
   * device}, {@code serial} and {@code ids}.
   */
  public static JsonObject fields(WireMessage message) {
    Fields fields = new Fields();
    fields.json.add("type", message.type());
    if (message instanceof WireMessage.ClientMessage m) {
      m.accept(fields);
    } else {
      ((WireMessage.ServerMessage) message).accept(fields);
    }
    return fields.json.build();
  }

  /**
   * Each message's members, one method per type (so a new type cannot be left out of the vectors
   * unnoticed). Written independently of the codec's encoder, from docs/protocol.md's table.
   */
  private static final class Fields
      implements WireMessage.ClientMessage.Visitor<RuntimeException>,
          WireMessage.ServerMessage.Visitor<RuntimeException> {
    final JsonObjectBuilder json = Json.createObjectBuilder();

    @Override
    public void auth(WireMessage.Auth m) {
      json.add("token", m.token());
      version(m.version());
    }

    @Override
    public void ready(WireMessage.Ready m) {
      json.add("username", m.username());
      version(m.version());
      device(m.device());
    }

    private void version(int version) {
      if (version != 1) {
        json.add("version", version);
      }
    }

    private void device(int device) {
      if (device != 0) {
        json.add("device", device);
      }
    }

    @Override
    public void send(WireMessage.Send m) {
      json.add("id", m.id());
      if (m.copies() == null) {
        json.add("to", m.to());
        json.add("envelope", m.envelope());
        return;
      }
      JsonArrayBuilder copies = Json.createArrayBuilder();
      for (WireMessage.Copy c : m.copies()) {
        copies.add(
            Json.createObjectBuilder()
                .add("to", c.to())
                .add("device", c.device())
                .add("envelope", c.envelope()));
      }
      json.add("copies", copies);
    }

    @Override
    public void accepted(WireMessage.Accepted m) {
      json.add("id", m.id());
    }

    @Override
    public void deliver(WireMessage.Deliver m) {
      json.add("id", m.id());
      json.add("from", m.from());
      device(m.device());
      json.add("envelope", m.envelope());
      json.add("sentAt", m.sentAt());
    }

    @Override
    public void ack(WireMessage.Ack m) {
      json.add("id", m.id());
      json.add("from", m.from());
      device(m.device());
    }

    @Override
    public void delivered(WireMessage.Delivered m) {
      json.add("id", m.id());
      json.add("to", m.to());
      device(m.device());
    }

    @Override
    public void relayed(WireMessage.Relayed m) {
      json.add("id", m.id());
      json.add("to", m.to());
      device(m.device());
    }

    @Override
    public void receiptAck(WireMessage.ReceiptAck m) {
      json.add("id", m.id());
      if (m.to() != null) {
        json.add("to", m.to());
      }
      device(m.device());
    }

    @Override
    public void error(WireMessage.Error m) {
      if (m.id() != null) {
        json.add("id", m.id());
      }
      json.add("code", m.code());
      json.add("message", m.message());
      if (m.devices() != null) {
        JsonArrayBuilder devices = Json.createArrayBuilder();
        for (WireMessage.UserDevices d : m.devices()) {
          JsonArrayBuilder ids = Json.createArrayBuilder();
          d.ids().forEach(ids::add);
          devices.add(
              Json.createObjectBuilder()
                  .add("user", d.user())
                  .add("serial", d.serial())
                  .add("ids", ids));
        }
        json.add("devices", devices);
      }
    }

    @Override
    public void preKeysLow(WireMessage.PreKeysLow m) {
      json.add("count", m.count());
    }

    @Override
    public void devicesChanged(WireMessage.DevicesChanged m) {
      json.add("serial", m.serial());
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
    return Json.createObjectBuilder()
        .add("name", name)
        .add("json", json)
        .add("canonical", canonical)
        .add("message", fields(expected));
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
