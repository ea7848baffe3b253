package com.securecom.protocol.devices;

import com.securecom.protocol.DeviceIds;
import com.securecom.protocol.Usernames;
import com.securecom.protocol.wire.ErrorCodes;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.protocol.wire.WireMessage.Copy;
import com.securecom.protocol.wire.WireMessage.UserDevices;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which copies a relay message version 4 or 5 {@code send} must carry: the server's checks 2 to 4
 * of docs/protocol.md ("Version 4", "Sending to a device set"; "Version 5 (groups)" for what {@link
 * Limits} allows at each version), {@link #check}, and the client's side of the same rule, {@link
 * #targets}: the copies to make from verified device sets, which {@link #check} accepts when the
 * server's sets are the same. Both directions derive the devices a user must be sent to from one
 * definition, {@link #required}: all of the user's devices, or, for the sender's own account, all
 * but the sending device.
 *
 * <p>Not here: check 1 (usernames, envelopes and their sizes) belongs to the codec and the server
 * and comes first, so {@link #check} expects usernames that follow the rule and does not look at
 * envelopes; check 5 ({@code id_reused}) and check 6 (the queue limits) belong to the store and
 * come after an {@link Accepted}. A device set here is a {@link UserDevices}: the user, the serial
 * of its list (0 for a legacy account, which has device 1 only) and its device ids in increasing
 * order. Pure functions: no I/O, no clock.
 */
public final class Fanout {
  private Fanout() {}

  /** The outcome of {@link #check}. */
  public sealed interface Outcome permits Accepted, Refused {}

  /** Checks 2 to 4 pass: the send goes on to the store's checks (5 and 6). */
  public record Accepted() implements Outcome {}

  /**
   * The first of checks 2 to 4 that fails.
   *
   * @param code {@link ErrorCodes#INVALID_COPIES}, {@link ErrorCodes#UNKNOWN_RECIPIENT} or {@link
   *     ErrorCodes#STALE_DEVICES}
   * @param devices for {@code stale_devices}, each named user whose set differs, in the order of
   *     first mention in the copies, with the server's serial and the ids {@link #required} of it;
   *     null for the other codes
   */
  public record Refused(String code, List<UserDevices> devices) implements Outcome {
    public Refused {
      Objects.requireNonNull(code, "code");
      if (devices != null) {
        devices = List.copyOf(devices);
      }
    }

    /** The {@code error} the server answers the send {@code id} with. */
    public WireMessage.Error error(String id) {
      return new WireMessage.Error(id, code, message(code), devices);
    }

    private static String message(String code) {
      return switch (code) {
        case ErrorCodes.INVALID_COPIES -> "the copies break a rule of the device set";
        case ErrorCodes.UNKNOWN_RECIPIENT -> "no such user";
        default -> "the device set changed";
      };
    }
  }

  /**
   * One copy to make: an envelope for device {@code device} of user {@code to}, the {@code to} and
   * {@code device} of a {@link Copy}.
   */
  public record Target(String to, int device) {
    public Target {
      Objects.requireNonNull(to, "to");
      require(DeviceIds.isValid(device), "a device id is 1 to 999,999,999");
    }

    /** The copy of {@code envelope} for this device. */
    public Copy copy(String envelope) {
      return new Copy(to, device, envelope);
    }
  }

  /**
   * What check 2 allows a send on a connection of relay message version {@code version} (4 or
   * more), on a server whose {@code securecom.relay.max-copies} is {@code maxCopies} and whose
   * {@code securecom.relay.max-send-users} is {@code maxUsers} (each 1 to {@link
   * WireMessage#MAX_COPIES}): from version 5 on, {@code maxCopies} copies to {@code maxUsers} users
   * besides the sender; at version 4, at most {@link WireMessage#MAX_COPIES_V4} (and {@code
   * maxCopies}) copies to one user besides the sender.
   */
  public record Limits(int version, int maxCopies, int maxUsers) {
    public Limits {
      require(version >= WireMessage.DEVICES_VERSION, "copies exist from relay version 4 on");
      require(maxCopies >= 1 && maxCopies <= WireMessage.MAX_COPIES, "max-copies is 1 to 1,024");
      require(maxUsers >= 1 && maxUsers <= WireMessage.MAX_COPIES, "max-send-users is 1 to 1,024");
    }

    /** The most copies a send may carry. */
    public int copies() {
      return groups() ? maxCopies : Math.min(WireMessage.MAX_COPIES_V4, maxCopies);
    }

    /** The most users besides the sender a send may name. */
    public int users() {
      return groups() ? maxUsers : 1;
    }

    private boolean groups() {
      return version >= WireMessage.GROUPS_VERSION;
    }
  }

  /**
   * The server's checks 2 to 4 of a send with copies, in the documented order; the first that fails
   * is the answer.
   *
   * <ol start="2">
   *   <li>{@code invalid_copies}: more copies than {@link Limits#copies}, a repeated {@code (to,
   *       device)}, a copy to the sending device itself, copies to more users besides the sender
   *       than {@link Limits#users} (a user without an account counts), or copies only to the
   *       sender's own account while {@link #required} of it is empty;
   *   <li>{@code unknown_recipient}: a {@code to} that has no set in {@code current};
   *   <li>{@code stale_devices}: for each user named, the devices of its copies must be exactly
   *       {@link #required} of its current set; the users not named are not checked.
   * </ol>
   *
   * The order of the copies changes nothing but the order of {@code stale_devices}' entries.
   *
   * @param sender the sending account, which has a set in {@code current}
   * @param sendingDevice the device that sent it (need not be in the sender's set: the rule uses
   *     the set without it)
   * @param copies 1 or more copies whose {@code to} follow the username rule (check 1)
   * @param current the server's device set of the sender's account and of every named user that has
   *     an account, each user once; a named user without one has no account (if the copies name
   *     more users than {@link Limits#users}, or are more than {@link Limits#copies}, check 2
   *     refuses them before any other set is read, so {@code current} may then hold the sender's
   *     alone)
   * @param limits the connection's version and the server's settings
   * @throws IllegalArgumentException if an argument breaks these rules or a set is not a device set
   *     (no ids; serial 0 with other ids than device 1)
   */
  public static Outcome check(
      String sender,
      int sendingDevice,
      List<Copy> copies,
      List<UserDevices> current,
      Limits limits) {
    requireDevice(sender, sendingDevice);
    Objects.requireNonNull(limits, "limits");
    require(!copies.isEmpty(), "a send has at least one copy");
    for (Copy copy : copies) {
      require(Usernames.isValid(copy.to()), "a copy's to follows the username rule (check 1)");
    }
    Map<String, UserDevices> sets = bySet(current);
    UserDevices own = sets.get(sender);
    require(own != null, "the sender's account has a device set");

    // Check 2: the copies form a set, for the sender and at most limits.users() other users.
    if (copies.size() > limits.copies()) {
      return invalidCopies();
    }
    Map<String, Set<Integer>> named = new LinkedHashMap<>();
    for (Copy copy : copies) {
      boolean repeated =
          !named.computeIfAbsent(copy.to(), user -> new TreeSet<>()).add(copy.device());
      if (repeated || (copy.to().equals(sender) && copy.device() == sendingDevice)) {
        return invalidCopies();
      }
    }
    long others = named.keySet().stream().filter(user -> !user.equals(sender)).count();
    if (others > limits.users()
        || (others == 0 && required(sender, sendingDevice, own).isEmpty())) {
      return invalidCopies();
    }

    // Check 3: every named user has an account (the first in the copies' order fails first).
    for (String user : named.keySet()) {
      if (!sets.containsKey(user)) {
        return new Refused(ErrorCodes.UNKNOWN_RECIPIENT, null);
      }
    }

    // Check 4: every named user's devices are the ones required of its current set.
    List<UserDevices> stale = new ArrayList<>();
    for (Map.Entry<String, Set<Integer>> user : named.entrySet()) {
      UserDevices set = sets.get(user.getKey());
      List<Integer> required = required(sender, sendingDevice, set);
      if (!required.equals(List.copyOf(user.getValue()))) {
        stale.add(new UserDevices(set.user(), set.serial(), required));
      }
    }
    return stale.isEmpty() ? new Accepted() : new Refused(ErrorCodes.STALE_DEVICES, stale);
  }

  /**
   * The copies a client makes from device sets it verified: one for each device of {@code
   * recipient}, in increasing id, then, if {@code toOwnDevices}, one for each of the sender's other
   * devices, in increasing id. A client names its own account in every {@code text} send and never
   * in receipts (docs/protocol.md); {@link #check} accepts the result when the server's sets are
   * these.
   *
   * @param own the sender's own account's set (its username is the sender)
   * @param recipient another user's set
   * @throws IllegalArgumentException if {@code recipient} is the sender's own account, or a set is
   *     not a device set
   */
  public static List<Target> targets(
      int sendingDevice, UserDevices own, UserDevices recipient, boolean toOwnDevices) {
    return targets(sendingDevice, own, List.of(recipient), toOwnDevices);
  }

  /**
   * The copies a client makes for a send to several users (a group message, relay message version
   * 5): for each of {@code recipients} in the order given, one copy for each of its devices in
   * increasing id; then, if {@code toOwnDevices}, one for each of the sender's other devices, in
   * increasing id. {@link #check} accepts the result, at version 5 and with limits that allow as
   * many copies and users, when the server's sets are these.
   *
   * @param own the sender's own account's set (its username is the sender)
   * @param recipients 1 or more other users' sets, each user once
   * @throws IllegalArgumentException if {@code recipients} is empty, names a user twice or the
   *     sender's own account, or a set is not a device set
   */
  public static List<Target> targets(
      int sendingDevice, UserDevices own, List<UserDevices> recipients, boolean toOwnDevices) {
    requireDevice(own.user(), sendingDevice);
    requireSet(own);
    require(!recipients.isEmpty(), "a send has at least one recipient");
    Set<String> seen = new HashSet<>();
    List<Target> targets = new ArrayList<>();
    for (UserDevices recipient : recipients) {
      requireSet(recipient);
      require(!recipient.user().equals(own.user()), "the recipient is another user");
      require(seen.add(recipient.user()), "each recipient once");
      for (int id : required(own.user(), sendingDevice, recipient)) {
        targets.add(new Target(recipient.user(), id));
      }
    }
    if (toOwnDevices) {
      for (int id : required(own.user(), sendingDevice, own)) {
        targets.add(new Target(own.user(), id));
      }
    }
    return List.copyOf(targets);
  }

  /**
   * The device set of {@code username} as its verified device list says, or, for {@code null} (a
   * legacy account, which has no list), serial 0 and device 1.
   */
  public static UserDevices devicesOf(String username, DeviceList list) {
    if (list == null) {
      return new UserDevices(username, 0, List.of(DeviceIds.FIRST));
    }
    require(list.username().equals(username), "the list is " + username + "'s");
    return new UserDevices(username, list.serial(), list.deviceIds());
  }

  /**
   * The devices a send from {@code sendingDevice} of {@code sender} must name for the user of
   * {@code set}, if it names that user: all of them, but for the sender's own account all but the
   * sending device. The one definition both {@link #check} and {@link #targets} use.
   */
  public static List<Integer> required(String sender, int sendingDevice, UserDevices set) {
    if (!set.user().equals(sender)) {
      return set.ids();
    }
    return set.ids().stream().filter(id -> id != sendingDevice).toList();
  }

  private static Refused invalidCopies() {
    return new Refused(ErrorCodes.INVALID_COPIES, null);
  }

  private static Map<String, UserDevices> bySet(List<UserDevices> current) {
    Map<String, UserDevices> sets = new HashMap<>();
    for (UserDevices set : current) {
      requireSet(set);
      require(sets.putIfAbsent(set.user(), set) == null, "each user's set once");
    }
    return sets;
  }

  private static void requireSet(UserDevices set) {
    require(Usernames.isValid(set.user()), "a set's user follows the username rule");
    require(!set.ids().isEmpty(), "an account has at least one device");
    require(
        set.serial() != 0 || set.ids().equals(List.of(DeviceIds.FIRST)),
        "an account without a list (serial 0) has device 1 only");
  }

  private static void requireDevice(String user, int device) {
    require(Usernames.isValid(user), "the sender follows the username rule");
    require(DeviceIds.isValid(device), "a device id is 1 to 999,999,999");
  }

  private static void require(boolean rule, String broken) {
    if (!rule) {
      throw new IllegalArgumentException(broken);
    }
  }
}
