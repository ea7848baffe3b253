package com.securecom.protocol.devices;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A client's decision on a device list the server serves for an account, given the list it pinned
 * (docs/protocol.md, "Device lists", the pin table). A client encrypts to and accepts messages from
 * exactly the devices of its pin, and changes the pin only on {@link Accepted}: so a server that
 * adds a device the identity key did not sign, serves an older list, or one of two lists signed
 * with the same serial, changes nothing a client does. A pure function: the caller keeps the pin,
 * warns on {@link Refused}, and deletes the sessions of {@link Accepted#removed()} devices.
 */
public final class DeviceTrust {
  private DeviceTrust() {}

  /** The outcome of {@link #check}. */
  public sealed interface Verdict permits Accepted, Unchanged, Refused {}

  /**
   * A valid descendant of the pin: pin {@code signed} (and {@code list}, its verified content).
   *
   * @param added ids listed now and not in the pin (legacy pin: not device 1), increasing
   * @param removed ids of the pin no longer listed, increasing
   */
  public record Accepted(
      SignedDeviceList signed, DeviceList list, List<Integer> added, List<Integer> removed)
      implements Verdict {
    public Accepted {
      added = List.copyOf(added);
      removed = List.copyOf(removed);
    }
  }

  /** The pinned list again (the same body), or still no list for a legacy account. */
  public record Unchanged() implements Verdict {}

  /** Not accepted; the pin stays. */
  public record Refused(Refusal reason) implements Verdict {}

  /**
   * Judges {@code served} for {@code username}, whose identity key is {@code identityKey} (the
   * pinned one, or the pending identity's), against {@code pinned}.
   *
   * @param pinned the list pinned for the account, or {@code null} if none (legacy: device 1)
   * @param served what the server serves, or {@code null} if it serves no list
   * @throws IllegalArgumentException if {@code pinned} is for another account or key
   */
  public static Verdict check(
      String username, byte[] identityKey, DeviceList pinned, SignedDeviceList served) {
    if (pinned != null
        && (!pinned.username().equals(username)
            || !Arrays.equals(pinned.identityKey(), identityKey))) {
      throw new IllegalArgumentException("the pin is for another account or key");
    }
    if (served == null) {
      return pinned == null ? new Unchanged() : new Refused(Refusal.ROLLBACK);
    }
    DeviceList list;
    try {
      list = served.verify(username, identityKey);
    } catch (DeviceListRefusedException e) {
      return new Refused(e.reason());
    }
    long pinnedSerial = Succession.serial(pinned);
    if (list.serial() < pinnedSerial) {
      return new Refused(Refusal.ROLLBACK);
    }
    if (list.serial() == pinnedSerial) {
      return list.equals(pinned) ? new Unchanged() : new Refused(Refusal.FORK);
    }
    if (!Succession.isDescendant(pinned, list)) {
      return new Refused(Refusal.NOT_DESCENDANT);
    }
    List<Integer> before = pinned == null ? List.of(1) : pinned.deviceIds();
    List<Integer> added = new ArrayList<>(list.deviceIds());
    added.removeAll(before);
    List<Integer> removed = new ArrayList<>(before);
    removed.removeAll(list.deviceIds());
    return new Accepted(served, list, added, removed);
  }
}
