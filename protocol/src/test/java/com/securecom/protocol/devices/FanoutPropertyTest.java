package com.securecom.protocol.devices;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.wire.ErrorCodes;
import com.securecom.protocol.wire.WireMessage.Copy;
import com.securecom.protocol.wire.WireMessage.UserDevices;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * For random device sets of a sender and a recipient: the client's fan-out is what the server's
 * check accepts, in any order; one copy dropped or one unknown device added is {@code
 * stale_devices} naming exactly that user with its required ids; a repeated copy or one to the
 * sending device is {@code invalid_copies}. Seeded, so a failure names a case that reproduces it.
 */
class FanoutPropertyTest {
  /** A version 4 connection to a server with the default settings. */
  private static final Fanout.Limits V4 = new Fanout.Limits(4, 1024, 256);

  private static final int CASES = 5_000;

  private static UserDevices randomSet(String user, Random random) {
    if (random.nextInt(4) == 0) {
      return new UserDevices(user, 0, List.of(1));
    }
    TreeSet<Integer> ids = new TreeSet<>();
    int count = 1 + random.nextInt(16);
    while (ids.size() < count) {
      ids.add(random.nextInt(4) == 0 ? 1 + random.nextInt(999_999_999) : 1 + random.nextInt(40));
    }
    return new UserDevices(user, 1 + random.nextInt(1000), List.copyOf(ids));
  }

  private static UserDevices without(UserDevices set, int device) {
    return new UserDevices(
        set.user(), set.serial(), set.ids().stream().filter(id -> id != device).toList());
  }

  @Test
  void theFanoutIsAccepted_andEachSingleChangeGetsItsCode() {
    for (int i = 0; i < CASES; i++) {
      Random random = new Random(i);
      UserDevices own = randomSet("alice", random);
      UserDevices bob = randomSet("bob", random);
      int sending = own.ids().get(random.nextInt(own.ids().size()));
      List<UserDevices> sets = List.of(own, bob);
      String seed = "seed " + i;

      List<Copy> copies =
          new ArrayList<>(
              Fanout.targets(sending, own, bob, true).stream().map(t -> t.copy("AA==")).toList());
      Collections.shuffle(copies, random);
      assertThat(Fanout.check("alice", sending, copies, sets, V4))
          .as(seed)
          .isEqualTo(new Fanout.Accepted());

      Copy some = copies.get(random.nextInt(copies.size()));
      List<Copy> repeated = new ArrayList<>(copies);
      repeated.add(random.nextInt(repeated.size() + 1), some);
      List<Copy> toItself = new ArrayList<>(copies);
      toItself.add(random.nextInt(toItself.size() + 1), new Copy("alice", sending, "AA=="));
      for (List<Copy> invalid : List.of(repeated, toItself)) {
        if (invalid.size() <= 32) {
          assertThat(Fanout.check("alice", sending, invalid, sets, V4))
              .as(seed)
              .isEqualTo(new Fanout.Refused(ErrorCodes.INVALID_COPIES, null));
        }
      }

      List<Copy> dropped = new ArrayList<>(copies);
      dropped.remove(some);
      boolean onlyOwnLeft = dropped.stream().allMatch(c -> c.to().equals("alice"));
      if (!dropped.isEmpty() && !(onlyOwnLeft && without(own, sending).ids().isEmpty())) {
        UserDevices required = some.to().equals("alice") ? without(own, sending) : bob;
        boolean namedStill = dropped.stream().anyMatch(c -> c.to().equals(some.to()));
        assertThat(Fanout.check("alice", sending, dropped, sets, V4))
            .as(seed)
            .isEqualTo(
                namedStill
                    ? new Fanout.Refused(ErrorCodes.STALE_DEVICES, List.of(required))
                    : new Fanout.Accepted());
      }

      int unknownDevice = 41 + random.nextInt(1000);
      if (!bob.ids().contains(unknownDevice) && copies.size() < 32) {
        List<Copy> added = new ArrayList<>(copies);
        added.add(random.nextInt(added.size() + 1), new Copy("bob", unknownDevice, "AA=="));
        assertThat(Fanout.check("alice", sending, added, sets, V4))
            .as(seed)
            .isEqualTo(new Fanout.Refused(ErrorCodes.STALE_DEVICES, List.of(bob)));
      }
    }
  }
}
