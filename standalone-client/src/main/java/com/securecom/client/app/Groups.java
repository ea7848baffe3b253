package com.securecom.client.app;

import com.securecom.protocol.groups.GroupId;
import com.securecom.protocol.groups.GroupRules;
import com.securecom.protocol.groups.GroupState;
import com.securecom.protocol.groups.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The groups a profile knows ({@link ProfileData#groups}): every change to them goes through {@link
 * GroupRules#apply}, for updates received and for this user's own (as their sender) alike. Callers
 * hold the vault's lock and save.
 */
public final class Groups {
  /** The shortest id prefix that names a group on the command line. */
  public static final int MIN_PREFIX = 8;

  private final ProfileData data;
  private final String self;

  Groups(ProfileData data, String self) {
    this.data = data;
    this.self = self;
  }

  /** The group {@code id}, if this profile knows it. */
  Optional<KnownGroup> get(GroupId id) {
    return Optional.ofNullable(data.groups.get(id.hex()));
  }

  /** Whether {@code proposed}, sent by {@code sender}, replaces what this profile holds. */
  Outcome decide(String sender, GroupState proposed) {
    KnownGroup known = data.groups.get(proposed.id().hex());
    return GroupRules.apply(known == null ? null : known.state(), sender, proposed, self);
  }

  /** Keeps an applied update's state; returns the group as it was before (null if new). */
  KnownGroup keep(Outcome.Applied applied) {
    GroupState state = applied.newState();
    KnownGroup.Status status =
        state.members().contains(self)
            ? KnownGroup.Status.MEMBER
            : applied.change().left() ? KnownGroup.Status.LEFT : KnownGroup.Status.REMOVED;
    return data.groups.put(state.id().hex(), new KnownGroup(state, status));
  }

  /**
   * The outbox's name for a message to group {@code id} ({@link ProfileData.Outgoing#to}): no
   * username has a {@code #}.
   */
  static String outboxName(GroupId id) {
    return "#" + id.hex();
  }

  /** The group an outbox entry is for, if it is a group message's. */
  static Optional<GroupId> ofOutboxName(String to) {
    return to.startsWith("#") && GroupId.isValid(to.substring(1))
        ? Optional.of(new GroupId(to.substring(1)))
        : Optional.empty();
  }

  /** Every group {@code vault}'s profile knows, by id. */
  public static List<KnownGroup> list(Vault vault) {
    synchronized (vault) {
      return List.copyOf(vault.data().groups.values());
    }
  }

  /**
   * The groups {@code query} names: those whose name is exactly {@code query}, or, if {@code query}
   * is at least {@value #MIN_PREFIX} hex characters, those whose id starts with it. One is a match;
   * none or several, the caller says which ones there are.
   */
  public static List<KnownGroup> matching(List<KnownGroup> groups, String query) {
    List<KnownGroup> found = new ArrayList<>();
    String prefix = query.toLowerCase(Locale.ROOT);
    boolean hex = prefix.length() >= MIN_PREFIX && prefix.matches("[0-9a-f]+");
    for (KnownGroup g : groups) {
      if (g.state().name().equals(query) || (hex && g.hex().startsWith(prefix))) {
        found.add(g);
      }
    }
    return found;
  }
}
