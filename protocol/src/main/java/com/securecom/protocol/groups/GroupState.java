package com.securecom.protocol.groups;

import com.securecom.protocol.Usernames;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A group as every member's client holds it (docs/protocol.md, "Group state"). Always well-formed:
 * {@code revision} 1 to 2^53 - 1, {@code name} follows {@link GroupNames}, {@code creator} and
 * every member follow {@link Usernames}, 1 to {@value #MAX_MEMBERS} members, {@code admins} a
 * subset of them. The creator's powers come from being the creator: it is among {@code admins} only
 * if it was named one, and among {@code members} only until it leaves. {@code admins} and {@code
 * members} are unmodifiable and iterate in increasing {@link String#compareTo} order (byte order on
 * these ASCII names), the order of the encoding.
 *
 * <p>To make a change, build the successor with {@link #create}, {@link #withAdded}, {@link
 * #withRemoved}, {@link #withName}, {@link #withAdmins} or {@link #leftBy} (each one revision
 * higher), then check it with {@link GroupRules#apply} as its sender before sending it: these
 * builders make any well-formed successor, including ones the rules ignore (an admin changing the
 * admins, say), and a maker that sends what its own rules ignore forks the group.
 */
public record GroupState(
    GroupId id,
    long revision,
    String name,
    String creator,
    Set<String> admins,
    Set<String> members) {
  /** The most members a group has. */
  public static final int MAX_MEMBERS = 256;

  /** 2^53 - 1: the highest revision, so that it is exact in JavaScript. */
  public static final long MAX_REVISION = (1L << 53) - 1;

  /**
   * @throws IllegalArgumentException if the state would not be well-formed (the message says why)
   */
  public GroupState {
    if (id == null) {
      throw new IllegalArgumentException("a group state needs an id");
    }
    if (revision < 1 || revision > MAX_REVISION) {
      throw new IllegalArgumentException("revision out of range: 1 to 2^53 - 1");
    }
    if (!GroupNames.isValid(name)) {
      throw new IllegalArgumentException("a group name is " + GroupNames.RULE);
    }
    if (!Usernames.isValid(creator)) {
      throw new IllegalArgumentException("the creator is a username: " + Usernames.RULE);
    }
    members = sorted(members, "members");
    admins = sorted(admins, "admins");
    if (members.isEmpty() || members.size() > MAX_MEMBERS) {
      throw new IllegalArgumentException("a group has 1 to " + MAX_MEMBERS + " members");
    }
    if (!members.containsAll(admins)) {
      throw new IllegalArgumentException("every admin is a member");
    }
  }

  /**
   * A new group at revision 1: {@code creator} and {@code members} (the creator is added if it is
   * not among them), no admins.
   *
   * @throws IllegalArgumentException if the state would not be well-formed
   */
  public static GroupState create(
      GroupId id, String name, String creator, Collection<String> members) {
    return new GroupState(id, 1, name, creator, Set.of(), union(members, Set.of(creator)));
  }

  /** The successor with {@code users} added to the members. */
  public GroupState withAdded(Collection<String> users) {
    return next(name, admins, union(members, users));
  }

  /** The successor without {@code users}, as members and as admins. */
  public GroupState withRemoved(Collection<String> users) {
    return next(name, minus(admins, users), minus(members, users));
  }

  /** The successor named {@code newName}. */
  public GroupState withName(String newName) {
    return next(newName, admins, members);
  }

  /** The successor whose admins are exactly {@code newAdmins} (members all). */
  public GroupState withAdmins(Collection<String> newAdmins) {
    return next(name, Set.copyOf(newAdmins), members);
  }

  /**
   * The successor without {@code user}, as member and as admin: its leave, the one change any
   * member may make. The last member cannot leave this way (a group has a member): it forgets the
   * group.
   */
  public GroupState leftBy(String user) {
    return withRemoved(Set.of(user));
  }

  /** True if {@code user} is the creator or an admin, so may add, remove and rename. */
  public boolean isManager(String user) {
    return creator.equals(user) || admins.contains(user);
  }

  private GroupState next(String newName, Set<String> newAdmins, Set<String> newMembers) {
    if (revision == MAX_REVISION) {
      throw new IllegalArgumentException("the group has reached its last revision");
    }
    return new GroupState(id, revision + 1, newName, creator, newAdmins, newMembers);
  }

  private static Set<String> sorted(Collection<String> users, String what) {
    if (users == null) {
      throw new IllegalArgumentException(what + " missing");
    }
    SortedSet<String> sorted = new TreeSet<>();
    for (String user : users) {
      if (!Usernames.isValid(user)) {
        throw new IllegalArgumentException("each of " + what + " is a username: " + Usernames.RULE);
      }
      sorted.add(user);
    }
    return Collections.unmodifiableSortedSet(sorted);
  }

  private static Set<String> union(Collection<String> a, Collection<String> b) {
    Set<String> union = new TreeSet<>(a);
    union.addAll(b);
    return union;
  }

  private static Set<String> minus(Collection<String> a, Collection<String> b) {
    Set<String> rest = new TreeSet<>(a);
    rest.removeAll(b);
    return rest;
  }
}
