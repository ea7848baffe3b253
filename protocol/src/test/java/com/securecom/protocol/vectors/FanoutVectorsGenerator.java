package com.securecom.protocol.vectors;

import com.securecom.protocol.devices.Fanout;
import com.securecom.protocol.wire.ErrorCodes;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.protocol.wire.WireMessage.Copy;
import com.securecom.protocol.wire.WireMessage.UserDevices;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Writes {@code vectors/fanout.json}: which copies a relay message version 4 or 5 {@code send} must
 * carry (the version 5 cases are {@link GroupFanoutCases}).
 *
 * <ul>
 *   <li>{@code sends[]}: the server's checks 2 to 4 (docs/protocol.md, "Version 4", "Sending to a
 *       device set"): a sending device, the server's current device sets and the copies, and the
 *       answer: {@code accepted}, or the first failing check's code (with {@code devices} for
 *       {@code stale_devices}).
 *   <li>{@code fanouts[]}: the client's side: from verified sets, the copies to make.
 * </ul>
 *
 * <p>Every expected answer is written here from the document's rules, not derived from the code;
 * the generator then runs each case through {@link Fanout} (and each fan-out back through {@link
 * Fanout#check}, which must accept it) and refuses to write if they disagree anywhere.
 *
 * <p>Run from the repository root: {@code java -cp ...
 * com.securecom.protocol.vectors.FanoutVectorsGenerator [dir]}.
 */
public final class FanoutVectorsGenerator {
  /** Any envelope: check 1 is not in this file, and checks 2 to 4 do not read envelopes. */
  public static final String ENVELOPE = "AA==";

  private static final String ACCEPTED = "accepted";

  private FanoutVectorsGenerator() {}

  public static void main(String[] args) throws Exception {
    Path directory = args.length > 0 ? Path.of(args[0]) : VectorFiles.DEFAULT_DIRECTORY;
    Path file = directory.resolve("fanout.json");
    VectorFiles.write(file, build());
    System.out.println("wrote " + file.toAbsolutePath());
  }

  /** The server's default {@code securecom.relay.max-send-users}. */
  static final int MAX_USERS = 256;

  /**
   * A case of {@code sends[]}: on a connection of relay message {@code version}, to a server whose
   * settings are {@code maxCopies} and {@code maxUsers}; {@code devices} only for {@code
   * stale_devices}.
   */
  record SendCase(
      String name,
      String sender,
      int device,
      int version,
      int maxCopies,
      int maxUsers,
      List<UserDevices> current,
      List<Copy> copies,
      String result,
      List<UserDevices> devices) {
    Fanout.Limits limits() {
      return new Fanout.Limits(version, maxCopies, maxUsers);
    }
  }

  /**
   * A case of {@code fanouts[]}: to one recipient (version 4, written {@code recipient}) or to
   * several (version 5, written {@code recipients}).
   */
  record FanoutCase(
      String name,
      int device,
      UserDevices own,
      List<UserDevices> recipients,
      boolean ownDevices,
      List<Copy> copies) {
    FanoutCase(
        String name,
        int device,
        UserDevices own,
        UserDevices recipient,
        boolean ownDevices,
        List<Copy> copies) {
      this(name, device, own, List.of(recipient), ownDevices, copies);
    }

    int version() {
      return recipients.size() > 1 ? WireMessage.GROUPS_VERSION : WireMessage.DEVICES_VERSION;
    }
  }

  static UserDevices set(String user, long serial, int... ids) {
    return new UserDevices(user, serial, IntStream.of(ids).boxed().toList());
  }

  static UserDevices set(String user, long serial, List<Integer> ids) {
    return new UserDevices(user, serial, ids);
  }

  /** Copies written {@code "bob:1"}. */
  static List<Copy> copies(String... toAndDevice) {
    List<Copy> copies = new ArrayList<>();
    for (String c : toAndDevice) {
      int colon = c.indexOf(':');
      copies.add(
          new Copy(c.substring(0, colon), Integer.parseInt(c.substring(colon + 1)), ENVELOPE));
    }
    return copies;
  }

  static List<Integer> range(int from, int to) {
    return IntStream.rangeClosed(from, to).boxed().toList();
  }

  // The sets the cases share. Alice sends; a legacy account has serial 0 and device 1.
  static final UserDevices ALICE_LEGACY = set("alice", 0, 1);
  static final UserDevices ALICE_THREE = set("alice", 3, 1, 2, 5);
  static final UserDevices ALICE_TWO = set("alice", 2, 1, 2);
  static final UserDevices BOB_LEGACY = set("bob", 0, 1);
  static final UserDevices BOB_TWO = set("bob", 5, 1, 3);
  static final UserDevices BOB_CHANGED = set("bob", 6, 1, 4);
  static final UserDevices CAROL = set("carol", 1, 1);
  static final UserDevices ALICE_SIXTEEN = set("alice", 40, range(5, 20));
  static final UserDevices BOB_SIXTEEN = set("bob", 17, range(1, 16));
  static final UserDevices BOB_LARGEST = set("bob", WireMessage.MAX_SERIAL, 1, 999_999_999);

  private static SendCase accepted(
      String name, int device, List<UserDevices> current, List<Copy> copies) {
    return new SendCase(name, "alice", device, 4, 32, MAX_USERS, current, copies, ACCEPTED, null);
  }

  private static SendCase refused(
      String name, int device, List<UserDevices> current, List<Copy> copies, String code) {
    return new SendCase(name, "alice", device, 4, 32, MAX_USERS, current, copies, code, null);
  }

  private static SendCase stale(
      String name,
      int device,
      List<UserDevices> current,
      List<Copy> copies,
      List<UserDevices> devices) {
    return new SendCase(
        name,
        "alice",
        device,
        4,
        32,
        MAX_USERS,
        current,
        copies,
        ErrorCodes.STALE_DEVICES,
        devices);
  }

  private static SendCase withMaxCopies(SendCase c, int maxCopies) {
    return new SendCase(
        c.name(),
        c.sender(),
        c.device(),
        c.version(),
        maxCopies,
        c.maxUsers(),
        c.current(),
        c.copies(),
        c.result(),
        c.devices());
  }

  static List<SendCase> sendCases() {
    String invalid = ErrorCodes.INVALID_COPIES;
    String unknown = ErrorCodes.UNKNOWN_RECIPIENT;
    List<Copy> sixteenEach = new ArrayList<>();
    for (int id : BOB_SIXTEEN.ids()) {
      sixteenEach.add(new Copy("bob", id, ENVELOPE));
    }
    for (int id : ALICE_SIXTEEN.ids()) {
      if (id != 7) {
        sixteenEach.add(new Copy("alice", id, ENVELOPE));
      }
    }
    List<SendCase> cases = new ArrayList<>();
    // Accepted: the named sets are exactly the server's (the sender's own: without the sender).
    cases.add(accepted("legacyToLegacy", 1, List.of(ALICE_LEGACY, BOB_LEGACY), copies("bob:1")));
    cases.add(
        accepted(
            "everyDeviceOfTheRecipientAndTheSendersOthers",
            2,
            List.of(ALICE_THREE, BOB_TWO),
            copies("bob:1", "bob:3", "alice:1", "alice:5")));
    cases.add(
        accepted(
            "theSameCopiesInAnotherOrder",
            2,
            List.of(ALICE_THREE, BOB_TWO),
            copies("alice:5", "bob:3", "alice:1", "bob:1")));
    cases.add(
        accepted(
            "theSendersOwnAccountNotNamed",
            2,
            List.of(ALICE_THREE, BOB_TWO),
            copies("bob:1", "bob:3")));
    cases.add(
        accepted(
            "onlyTheSendersOtherDevices", 2, List.of(ALICE_THREE), copies("alice:1", "alice:5")));
    cases.add(
        accepted(
            "aUserNotNamedIsNotChecked",
            1,
            List.of(ALICE_LEGACY, BOB_LEGACY, CAROL),
            copies("bob:1")));
    cases.add(
        accepted(
            "largestSerialAndDeviceId",
            1,
            List.of(ALICE_LEGACY, BOB_LARGEST),
            copies("bob:999999999", "bob:1")));
    cases.add(
        accepted(
            "sixteenDevicesEach_31Copies", 7, List.of(ALICE_SIXTEEN, BOB_SIXTEEN), sixteenEach));
    cases.add(
        withMaxCopies(
            accepted(
                "exactlyMaxCopies", 2, List.of(ALICE_THREE, BOB_TWO), copies("bob:1", "bob:3")),
            2));
    // Check 2: invalid_copies.
    cases.add(
        withMaxCopies(
            refused(
                "moreCopiesThanMaxCopies",
                2,
                List.of(ALICE_THREE, BOB_TWO),
                copies("bob:1", "bob:3", "alice:1", "alice:5"),
                invalid),
            3));
    cases.add(
        withMaxCopies(
            refused(
                "moreCopiesThanMaxCopies_toAnUnknownUser",
                1,
                List.of(ALICE_LEGACY),
                copies("dave:1", "dave:2"),
                invalid),
            1));
    cases.add(
        refused(
            "aRepeatedCopy",
            1,
            List.of(ALICE_LEGACY, BOB_LEGACY),
            copies("bob:1", "bob:1"),
            invalid));
    cases.add(
        refused(
            "aRepeatedCopyToAnOwnDevice",
            2,
            List.of(ALICE_THREE, BOB_TWO),
            copies("bob:1", "alice:5", "bob:3", "alice:1", "alice:5"),
            invalid));
    cases.add(
        refused(
            "aRepeatedCopy_ofAStaleSet",
            1,
            List.of(ALICE_LEGACY, BOB_CHANGED),
            copies("bob:1", "bob:1"),
            invalid));
    cases.add(
        refused(
            "aCopyToTheSendingDevice",
            2,
            List.of(ALICE_THREE, BOB_TWO),
            copies("bob:1", "bob:3", "alice:1", "alice:2", "alice:5"),
            invalid));
    cases.add(
        refused(
            "aCopyToTheSendingDeviceOnly", 1, List.of(ALICE_LEGACY), copies("alice:1"), invalid));
    cases.add(
        refused(
            "twoUsersBesidesTheSender",
            1,
            List.of(ALICE_LEGACY, BOB_LEGACY, CAROL),
            copies("bob:1", "carol:1"),
            invalid));
    cases.add(
        refused(
            "twoUsersBesidesTheSender_oneUnknown",
            1,
            List.of(ALICE_LEGACY, BOB_LEGACY),
            copies("bob:1", "dave:1"),
            invalid));
    cases.add(
        refused(
            "onlyTheSendersAccount_whichHasNoOtherDevice",
            1,
            List.of(ALICE_LEGACY),
            copies("alice:2"),
            invalid));
    // Check 3: unknown_recipient.
    cases.add(refused("anUnknownRecipient", 1, List.of(ALICE_LEGACY), copies("dave:1"), unknown));
    cases.add(
        refused(
            "anUnknownRecipient_withCopiesToOwnDevices",
            2,
            List.of(ALICE_THREE),
            copies("alice:1", "dave:1", "alice:5"),
            unknown));
    cases.add(
        refused(
            "anUnknownRecipient_andAStaleOwnSet",
            2,
            List.of(ALICE_THREE),
            copies("alice:1", "dave:1"),
            unknown));
    // Check 4: stale_devices.
    cases.add(
        stale(
            "theRecipientLinkedADevice",
            1,
            List.of(ALICE_LEGACY, BOB_CHANGED),
            copies("bob:1"),
            List.of(BOB_CHANGED)));
    cases.add(
        stale(
            "theRecipientRemovedADeviceAndLinkedAnother",
            1,
            List.of(ALICE_LEGACY, BOB_CHANGED),
            copies("bob:1", "bob:3"),
            List.of(BOB_CHANGED)));
    cases.add(
        stale(
            "aDeviceTheServerLacks_theOthersCurrent",
            1,
            List.of(ALICE_LEGACY, BOB_CHANGED),
            copies("bob:1", "bob:4", "bob:9"),
            List.of(BOB_CHANGED)));
    cases.add(
        stale(
            "aLegacyRecipientNamedWithDevice2",
            1,
            List.of(ALICE_LEGACY, BOB_LEGACY),
            copies("bob:1", "bob:2"),
            List.of(BOB_LEGACY)));
    cases.add(
        stale(
            "theSendersOwnSetStale",
            2,
            List.of(ALICE_THREE, BOB_TWO),
            copies("bob:1", "bob:3", "alice:1"),
            List.of(set("alice", 3, 1, 5))));
    cases.add(
        stale(
            "theSendersOwnAccountNamed_whileItHasNoOtherDevice",
            1,
            List.of(ALICE_LEGACY, BOB_LEGACY),
            copies("bob:1", "alice:2"),
            List.of(set("alice", 0, List.of()))));
    cases.add(
        stale(
            "bothStale_recipientFirst",
            2,
            List.of(ALICE_THREE, BOB_CHANGED),
            copies("bob:1", "alice:1", "bob:3", "alice:5", "alice:6"),
            List.of(BOB_CHANGED, set("alice", 3, 1, 5))));
    cases.add(
        stale(
            "bothStale_ownAccountFirst",
            2,
            List.of(ALICE_THREE, BOB_CHANGED),
            copies("alice:1", "bob:1", "bob:3", "alice:5", "alice:6"),
            List.of(set("alice", 3, 1, 5), BOB_CHANGED)));
    cases.add(
        stale(
            "onlyTheStaleUserIsListed",
            2,
            List.of(ALICE_THREE, BOB_CHANGED),
            copies("alice:1", "alice:5", "bob:1"),
            List.of(BOB_CHANGED)));
    cases.addAll(GroupFanoutCases.sendCases());
    return cases;
  }

  static List<FanoutCase> fanoutCases() {
    List<Copy> sixteenEach = new ArrayList<>();
    for (int id : BOB_SIXTEEN.ids()) {
      sixteenEach.add(new Copy("bob", id, ENVELOPE));
    }
    for (int id : ALICE_SIXTEEN.ids()) {
      if (id != 7) {
        sixteenEach.add(new Copy("alice", id, ENVELOPE));
      }
    }
    List<FanoutCase> cases = new ArrayList<>();
    cases.add(
        new FanoutCase("legacyToLegacy_text", 1, ALICE_LEGACY, BOB_LEGACY, true, copies("bob:1")));
    cases.add(
        new FanoutCase(
            "legacyToLegacy_receipt", 1, ALICE_LEGACY, BOB_LEGACY, false, copies("bob:1")));
    cases.add(
        new FanoutCase(
            "text_fromDevice2",
            2,
            ALICE_THREE,
            BOB_TWO,
            true,
            copies("bob:1", "bob:3", "alice:1", "alice:5")));
    cases.add(
        new FanoutCase(
            "receipt_fromDevice2", 2, ALICE_THREE, BOB_TWO, false, copies("bob:1", "bob:3")));
    cases.add(
        new FanoutCase(
            "text_fromALinkedDevice_toALegacyAccount",
            2,
            ALICE_TWO,
            BOB_LEGACY,
            true,
            copies("bob:1", "alice:1")));
    cases.add(
        new FanoutCase(
            "text_sixteenDevicesEach", 7, ALICE_SIXTEEN, BOB_SIXTEEN, true, sixteenEach));
    cases.addAll(GroupFanoutCases.fanoutCases());
    return cases;
  }

  public static JsonObject build() {
    return Json.createObjectBuilder()
        .add(
            "description",
            "SecureCom relay message versions 4 and 5: which copies a send must carry."
                + " sends[]: the server's checks 2 to 4 of 'Sending to a device set' on a"
                + " connection of the case's version, the first failure answers; fanouts[]: the"
                + " copies a client makes from verified device sets (to several recipients from"
                + " version 5 on). See docs/protocol.md, 'Version 4 (linked devices)', 'Version 5"
                + " (groups)' and 'Test vectors'.")
        .add("generator", FanoutVectorsGenerator.class.getName())
        .add("sends", sends())
        .add("fanouts", fanouts())
        .build();
  }

  private static JsonArrayBuilder sends() {
    JsonArrayBuilder out = Json.createArrayBuilder();
    for (SendCase c : sendCases()) {
      Fanout.Outcome outcome =
          Fanout.check(c.sender(), c.device(), c.copies(), c.current(), c.limits());
      Fanout.Outcome documented =
          c.result().equals(ACCEPTED)
              ? new Fanout.Accepted()
              : new Fanout.Refused(c.result(), c.devices());
      if (!outcome.equals(documented)) {
        throw new IllegalStateException(c.name() + ": Fanout says " + outcome);
      }
      JsonObjectBuilder json =
          Json.createObjectBuilder()
              .add("name", c.name())
              .add("sender", c.sender())
              .add("device", c.device())
              .add("version", c.version())
              .add("maxCopies", c.maxCopies())
              .add("maxUsers", c.maxUsers())
              .add("current", sets(c.current()))
              .add("copies", copiesJson(c.copies()))
              .add("result", c.result());
      if (c.devices() != null) {
        json.add("devices", sets(c.devices()));
      }
      out.add(json);
    }
    return out;
  }

  private static JsonArrayBuilder fanouts() {
    JsonArrayBuilder out = Json.createArrayBuilder();
    for (FanoutCase c : fanoutCases()) {
      List<Copy> made =
          Fanout.targets(c.device(), c.own(), c.recipients(), c.ownDevices()).stream()
              .map(target -> target.copy(ENVELOPE))
              .toList();
      if (!made.equals(c.copies())) {
        throw new IllegalStateException(c.name() + ": Fanout makes " + made);
      }
      List<UserDevices> sets = new ArrayList<>(c.recipients());
      sets.add(c.own());
      Fanout.Outcome back =
          Fanout.check(
              c.own().user(),
              c.device(),
              made,
              sets,
              new Fanout.Limits(c.version(), WireMessage.MAX_COPIES, WireMessage.MAX_COPIES));
      if (!(back instanceof Fanout.Accepted)) {
        throw new IllegalStateException(c.name() + ": the server's check says " + back);
      }
      JsonObjectBuilder json =
          Json.createObjectBuilder()
              .add("name", c.name())
              .add("version", c.version())
              .add("device", c.device())
              .add("own", set(c.own()));
      if (c.recipients().size() == 1) {
        json.add("recipient", set(c.recipients().get(0)));
      } else {
        json.add("recipients", sets(c.recipients()));
      }
      out.add(json.add("ownDevices", c.ownDevices()).add("copies", copiesJson(c.copies())));
    }
    return out;
  }

  private static JsonArrayBuilder sets(List<UserDevices> sets) {
    JsonArrayBuilder out = Json.createArrayBuilder();
    sets.forEach(s -> out.add(set(s)));
    return out;
  }

  private static JsonObjectBuilder set(UserDevices set) {
    JsonArrayBuilder ids = Json.createArrayBuilder();
    set.ids().forEach(ids::add);
    return Json.createObjectBuilder()
        .add("user", set.user())
        .add("serial", set.serial())
        .add("ids", ids);
  }

  private static JsonArrayBuilder copiesJson(List<Copy> copies) {
    JsonArrayBuilder out = Json.createArrayBuilder();
    copies.forEach(
        c -> out.add(Json.createObjectBuilder().add("to", c.to()).add("device", c.device())));
    return out;
  }
}
