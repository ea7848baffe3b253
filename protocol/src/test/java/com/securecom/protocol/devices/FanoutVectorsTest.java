package com.securecom.protocol.devices;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.vectors.FanoutVectorsGenerator;
import com.securecom.protocol.vectors.VectorFiles;
import com.securecom.protocol.wire.ErrorCodes;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.protocol.wire.WireMessage.Copy;
import com.securecom.protocol.wire.WireMessage.UserDevices;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Fanout} reproduces every case of {@code /vectors/fanout.json}. */
class FanoutVectorsTest {
  static final JsonObject FILE = VectorFiles.load("/vectors/fanout.json");

  static Stream<Arguments> cases(String array) {
    return FILE.getJsonArray(array).getValuesAs(JsonObject.class).stream()
        .map(c -> Arguments.of(c.getString("name"), c));
  }

  static Stream<Arguments> sends() {
    return cases("sends");
  }

  static Stream<Arguments> fanouts() {
    return cases("fanouts");
  }

  static UserDevices set(JsonObject json) {
    return new UserDevices(
        json.getString("user"),
        json.getJsonNumber("serial").longValueExact(),
        json.getJsonArray("ids").getValuesAs(JsonNumber.class).stream()
            .map(JsonNumber::intValueExact)
            .toList());
  }

  static List<UserDevices> sets(JsonArray json) {
    return json.getValuesAs(JsonObject.class).stream().map(FanoutVectorsTest::set).toList();
  }

  static List<Copy> copies(JsonArray json) {
    return json.getValuesAs(JsonObject.class).stream()
        .map(c -> new Copy(c.getString("to"), c.getInt("device"), FanoutVectorsGenerator.ENVELOPE))
        .toList();
  }

  @Test
  void theFileCoversEveryAnswer() {
    assertThat(
            FILE.getJsonArray("sends").getValuesAs(JsonObject.class).stream()
                .map(c -> c.getString("result"))
                .distinct())
        .containsExactlyInAnyOrder(
            "accepted",
            ErrorCodes.INVALID_COPIES,
            ErrorCodes.UNKNOWN_RECIPIENT,
            ErrorCodes.STALE_DEVICES);
    assertThat(FILE.getJsonArray("fanouts")).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sends")
  void send_getsTheDocumentedAnswer(String name, JsonObject c) {
    Fanout.Outcome outcome =
        Fanout.check(
            c.getString("sender"),
            c.getInt("device"),
            copies(c.getJsonArray("copies")),
            sets(c.getJsonArray("current")),
            new Fanout.Limits(c.getInt("version"), c.getInt("maxCopies"), c.getInt("maxUsers")));

    if (c.getString("result").equals("accepted")) {
      assertThat(outcome).isEqualTo(new Fanout.Accepted());
    } else {
      assertThat(outcome)
          .isEqualTo(
              new Fanout.Refused(
                  c.getString("result"),
                  c.containsKey("devices") ? sets(c.getJsonArray("devices")) : null));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fanouts")
  void fanout_makesTheDocumentedCopies_whichTheServerAccepts(String name, JsonObject c) {
    UserDevices own = set(c.getJsonObject("own"));
    List<UserDevices> recipients =
        c.containsKey("recipients")
            ? sets(c.getJsonArray("recipients"))
            : List.of(set(c.getJsonObject("recipient")));
    List<Copy> made =
        Fanout.targets(c.getInt("device"), own, recipients, c.getBoolean("ownDevices")).stream()
            .map(t -> t.copy(FanoutVectorsGenerator.ENVELOPE))
            .toList();

    assertThat(made).isEqualTo(copies(c.getJsonArray("copies")));
    List<UserDevices> sets = new ArrayList<>(recipients);
    sets.add(own);
    Fanout.Limits limits =
        new Fanout.Limits(c.getInt("version"), WireMessage.MAX_COPIES, WireMessage.MAX_COPIES);
    assertThat(Fanout.check(own.user(), c.getInt("device"), made, sets, limits))
        .isEqualTo(new Fanout.Accepted());
  }
}
