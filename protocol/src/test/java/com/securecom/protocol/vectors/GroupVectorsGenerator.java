package com.securecom.protocol.vectors;

import com.securecom.protocol.groups.Change;
import com.securecom.protocol.groups.GroupRules;
import com.securecom.protocol.groups.GroupState;
import com.securecom.protocol.groups.GroupStateJson;
import com.securecom.protocol.groups.MalformedGroupException;
import com.securecom.protocol.groups.Outcome;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.nio.file.Path;
import java.util.Set;

/**
 * Writes {@code vectors/groups.json} (docs/protocol.md, "Group test vectors"):
 *
 * <ul>
 *   <li>{@code states.valid[]}: a state's {@code json} text, {@code canonical} if it is exactly the
 *       encoder's output, and the decoded members; {@code states.invalid[]}: texts every reader
 *       refuses ({@link GroupStateCases});
 *   <li>{@code updates[]}: a {@code current} state (or null), {@code sender}, {@code self}, a
 *       {@code proposed} state, and the {@code result}: {@code applied} with the {@code change}, or
 *       {@code ignored} with the {@code reason} ({@link GroupUpdateCases}, written from the rules).
 * </ul>
 *
 * <p>It refuses to write if the code disagrees with any case: a valid text refused, an invalid one
 * read, an update decided otherwise. Run from the repository root: {@code java -cp ...
 * com.securecom.protocol.vectors.GroupVectorsGenerator [dir]}.
 */
public final class GroupVectorsGenerator {
  private GroupVectorsGenerator() {}

  public static void main(String[] args) throws Exception {
    Path directory = args.length > 0 ? Path.of(args[0]) : VectorFiles.DEFAULT_DIRECTORY;
    Path file = directory.resolve("groups.json");
    VectorFiles.write(file, build());
    System.out.println("wrote " + file.toAbsolutePath());
  }

  static JsonObject build() throws MalformedGroupException {
    return Json.createObjectBuilder()
        .add(
            "description",
            "SecureCom groups (docs/protocol.md, \"Groups\"). 'states': group state JSON texts a"
                + " reader MUST accept ('valid', with the decoded members; 'canonical' marks the"
                + " encoder's exact output) or refuse ('invalid'). 'updates': what a client whose"
                + " user is 'self', holding 'current' (null: no state), does with the state"
                + " 'proposed' sent by 'sender': 'result' 'applied' with the 'change', or 'ignored'"
                + " with the 'reason' (the first rule broken).")
        .add("generator", GroupVectorsGenerator.class.getName())
        .add(
            "states",
            Json.createObjectBuilder().add("valid", validStates()).add("invalid", invalidStates()))
        .add("updates", updates())
        .build();
  }

  private static JsonArrayBuilder validStates() throws MalformedGroupException {
    JsonArrayBuilder valid = Json.createArrayBuilder();
    for (GroupStateCases.Case c : GroupStateCases.valid()) {
      GroupState state = GroupStateJson.decode(c.json());
      valid.add(
          Json.createObjectBuilder()
              .add("name", c.name())
              .add("json", c.json())
              .add("canonical", GroupStateJson.encode(state).equals(c.json()))
              .add("state", GroupStateJson.toJson(state)));
    }
    return valid;
  }

  private static JsonArrayBuilder invalidStates() {
    JsonArrayBuilder invalid = Json.createArrayBuilder();
    for (GroupStateCases.Case c : GroupStateCases.invalid()) {
      try {
        GroupStateJson.decode(c.json());
        throw new IllegalStateException(c.name() + " was accepted by the implementation");
      } catch (MalformedGroupException expected) {
        invalid.add(Json.createObjectBuilder().add("name", c.name()).add("json", c.json()));
      }
    }
    return invalid;
  }

  private static JsonArrayBuilder updates() {
    JsonArrayBuilder updates = Json.createArrayBuilder();
    for (GroupUpdateCases.Case c : GroupUpdateCases.all()) {
      Outcome expected =
          c.change() != null
              ? new Outcome.Applied(c.proposed(), c.change())
              : new Outcome.Ignored(c.reason());
      Outcome actual = GroupRules.apply(c.current(), c.sender(), c.proposed(), c.self());
      if (!actual.equals(expected)) {
        throw new IllegalStateException(
            c.name() + ": the rules say " + expected + ", the code " + actual);
      }
      JsonObjectBuilder json =
          Json.createObjectBuilder()
              .add("name", c.name())
              .add(
                  "current",
                  c.current() == null ? JsonValue.NULL : GroupStateJson.toJson(c.current()))
              .add("sender", c.sender())
              .add("self", c.self())
              .add("proposed", GroupStateJson.toJson(c.proposed()));
      if (c.change() != null) {
        json.add("result", "applied").add("change", change(c.change()));
      } else {
        json.add("result", "ignored").add("reason", c.reason().code());
      }
      updates.add(json);
    }
    return updates;
  }

  /** A change as the vectors write it; the test reads it back with {@link #change(JsonObject)}. */
  static JsonObject change(Change change) {
    return Json.createObjectBuilder()
        .add("joined", change.joined())
        .add("added", Json.createArrayBuilder(change.added()))
        .add("removed", Json.createArrayBuilder(change.removed()))
        .add("renamed", change.renamed())
        .add("adminsChanged", change.adminsChanged())
        .add("left", change.left())
        .add("selfRemoved", change.selfRemoved())
        .build();
  }

  /** The change a vector states. */
  public static Change change(JsonObject json) {
    return new Change(
        json.getBoolean("joined"),
        strings(json, "added"),
        strings(json, "removed"),
        json.getBoolean("renamed"),
        json.getBoolean("adminsChanged"),
        json.getBoolean("left"),
        json.getBoolean("selfRemoved"));
  }

  private static Set<String> strings(JsonObject json, String member) {
    return Set.copyOf(
        json.getJsonArray(member).getValuesAs(jakarta.json.JsonString.class).stream()
            .map(jakarta.json.JsonString::getString)
            .toList());
  }
}
