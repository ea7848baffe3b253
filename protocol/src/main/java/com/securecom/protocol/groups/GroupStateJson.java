package com.securecom.protocol.groups;

import com.securecom.protocol.Usernames;
import com.securecom.protocol.wire.WrittenNumbers;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link GroupState}'s one encoding (docs/protocol.md, "Group state"): a JSON object of {@code
 * id}, {@code revision}, {@code name}, {@code creator}, {@code admins} and {@code members}, in that
 * order, the two sets as arrays of strings in strictly increasing order. The reader refuses
 * anything else (another JSON type, {@code revision} not written as digits without sign, leading
 * zero, fraction or exponent, a value out of range, an unsorted or repeated array, an admin who is
 * not a member, too many or no members, a missing member) and ignores unknown members. Thread-safe.
 */
public final class GroupStateJson {
  private static final JsonProvider JSON = JsonProvider.provider();

  private GroupStateJson() {}

  /** The state as a JSON object, to embed (a {@code groupUpdate} payload's {@code group}). */
  public static JsonObject toJson(GroupState state) {
    return JSON.createObjectBuilder()
        .add("id", state.id().hex())
        .add("revision", state.revision())
        .add("name", state.name())
        .add("creator", state.creator())
        .add("admins", array(state.admins()))
        .add("members", array(state.members()))
        .build();
  }

  /** The state as compact JSON text (no whitespace), the encoding's exact form. */
  public static String encode(GroupState state) {
    StringWriter text = new StringWriter();
    JSON.createWriterFactory(Map.of()).createWriter(text).write(toJson(state));
    return text.toString();
  }

  /**
   * Reads a state that is the whole of {@code text}.
   *
   * @throws MalformedGroupException naming the first rule the text breaks
   */
  public static GroupState decode(String text) throws MalformedGroupException {
    JsonValue value;
    try (JsonReader reader =
        JSON.createReaderFactory(Map.of()).createReader(new StringReader(text))) {
      value = reader.readValue();
    } catch (RuntimeException e) { // Parsson's JsonException, and others for extreme input
      throw new MalformedGroupException("not JSON");
    }
    return read(value, new WrittenNumbers(text));
  }

  /**
   * Reads the state {@code value}, found at {@code path} (member names and array indexes, empty for
   * the whole text) of the JSON text whose numbers are {@code numbers}, as written.
   *
   * @throws MalformedGroupException naming the first rule the value breaks
   */
  public static GroupState read(JsonValue value, WrittenNumbers numbers, Object... path)
      throws MalformedGroupException {
    if (!(value instanceof JsonObject json)) {
      throw new MalformedGroupException("a group state is a JSON object");
    }
    GroupId id = GroupId.parse(string(json, "id"));
    Object[] revisionPath = Arrays.copyOf(path, path.length + 1);
    revisionPath[path.length] = "revision";
    long revision =
        WrittenNumbers.safeInteger(
            json.get("revision") instanceof JsonNumber ? numbers.at(revisionPath) : null);
    if (revision < 1) {
      throw new MalformedGroupException(
          "'revision' is a JSON integer from 1 to 2^53 - 1 without sign or leading zero");
    }
    String name = string(json, "name");
    if (!GroupNames.isValid(name)) {
      throw new MalformedGroupException("'name' is " + GroupNames.RULE);
    }
    String creator = string(json, "creator");
    if (!Usernames.isValid(creator)) {
      throw new MalformedGroupException("'creator' is a username");
    }
    List<String> admins = usernames(json, "admins");
    List<String> members = usernames(json, "members");
    if (members.isEmpty()) {
      throw new MalformedGroupException("a group has at least one member");
    }
    if (!members.containsAll(admins)) {
      throw new MalformedGroupException("every admin is a member");
    }
    return new GroupState(id, revision, name, creator, Set.copyOf(admins), Set.copyOf(members));
  }

  private static JsonArrayBuilder array(Iterable<String> sorted) {
    JsonArrayBuilder array = JSON.createArrayBuilder();
    sorted.forEach(array::add);
    return array;
  }

  private static String string(JsonObject json, String member) throws MalformedGroupException {
    if (!(json.get(member) instanceof JsonString string)) {
      throw new MalformedGroupException("'" + member + "' is a string");
    }
    return string.getString();
  }

  /** The array {@code member}: at most 256 usernames in strictly increasing order. */
  private static List<String> usernames(JsonObject json, String member)
      throws MalformedGroupException {
    if (!(json.get(member) instanceof JsonArray array)) {
      throw new MalformedGroupException("'" + member + "' is an array");
    }
    if (array.size() > GroupState.MAX_MEMBERS) {
      throw new MalformedGroupException(
          "'" + member + "' has at most " + GroupState.MAX_MEMBERS + " usernames");
    }
    List<String> users = new ArrayList<>(array.size());
    for (JsonValue element : array) {
      if (!(element instanceof JsonString string) || !Usernames.isValid(string.getString())) {
        throw new MalformedGroupException("'" + member + "' holds usernames");
      }
      String user = string.getString();
      if (!users.isEmpty() && users.get(users.size() - 1).compareTo(user) >= 0) {
        throw new MalformedGroupException(
            "'" + member + "' is in strictly increasing order, without repeats");
      }
      users.add(user);
    }
    return users;
  }
}
