package com.securecom.protocol.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.vectors.GroupVectorsGenerator;
import com.securecom.protocol.vectors.VectorFiles;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The groups package reproduces every case of {@code /vectors/groups.json}. */
class GroupVectorsTest {
  static final JsonObject FILE = VectorFiles.load("/vectors/groups.json");

  static Stream<Arguments> cases(List<JsonObject> cases) {
    return cases.stream().map(c -> Arguments.of(c.getString("name"), c));
  }

  static Stream<Arguments> validStates() {
    return cases(FILE.getJsonObject("states").getJsonArray("valid").getValuesAs(JsonObject.class));
  }

  static Stream<Arguments> invalidStates() {
    return cases(
        FILE.getJsonObject("states").getJsonArray("invalid").getValuesAs(JsonObject.class));
  }

  static Stream<Arguments> updates() {
    return cases(FILE.getJsonArray("updates").getValuesAs(JsonObject.class));
  }

  /** A state object of the file, read as a text (its numbers are written as digits). */
  static GroupState state(JsonValue json) throws MalformedGroupException {
    return json == JsonValue.NULL ? null : GroupStateJson.decode(json.toString());
  }

  static List<String> strings(JsonObject json, String member) {
    return json.getJsonArray(member).getValuesAs(JsonString.class).stream()
        .map(JsonString::getString)
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validStates")
  void validState_decodesToItsMembers(String name, JsonObject c) throws Exception {
    GroupState state = GroupStateJson.decode(c.getString("json"));
    JsonObject expected = c.getJsonObject("state");

    assertThat(state.id().hex()).isEqualTo(expected.getString("id"));
    assertThat(state.revision()).isEqualTo(expected.getJsonNumber("revision").longValueExact());
    assertThat(state.name()).isEqualTo(expected.getString("name"));
    assertThat(state.creator()).isEqualTo(expected.getString("creator"));
    assertThat(List.copyOf(state.admins())).isEqualTo(strings(expected, "admins"));
    assertThat(List.copyOf(state.members())).isEqualTo(strings(expected, "members"));
    assertThat(GroupStateJson.encode(state).equals(c.getString("json")))
        .isEqualTo(c.getBoolean("canonical"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidStates")
  void invalidState_isRefused(String name, JsonObject c) {
    assertThatThrownBy(() -> GroupStateJson.decode(c.getString("json")))
        .isInstanceOf(MalformedGroupException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("updates")
  void update_getsTheDocumentedResult(String name, JsonObject c) throws Exception {
    GroupState proposed = state(c.get("proposed"));

    Outcome outcome =
        GroupRules.apply(
            state(c.get("current")), c.getString("sender"), proposed, c.getString("self"));

    if (c.getString("result").equals("applied")) {
      assertThat(outcome)
          .isEqualTo(
              new Outcome.Applied(
                  proposed, GroupVectorsGenerator.change(c.getJsonObject("change"))));
    } else {
      assertThat(outcome).isInstanceOf(Outcome.Ignored.class);
      assertThat(((Outcome.Ignored) outcome).reason().code()).isEqualTo(c.getString("reason"));
    }
  }

  @Test
  void theFileCoversEveryReason() {
    assertThat(
            FILE.getJsonArray("updates").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("result").equals("ignored"))
                .map(c -> c.getString("reason"))
                .distinct())
        .containsExactlyInAnyOrder(
            Stream.of(Reason.values()).map(Reason::code).toArray(String[]::new));
  }
}
