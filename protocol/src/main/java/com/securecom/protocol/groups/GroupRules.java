package com.securecom.protocol.groups;

import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a group update applies (docs/protocol.md, "Group rules"). Every member's client applies
 * the same rules to the same state, so all agree; the member that makes a change applies them too,
 * as its own sender, before it sends the change (a change its own rules ignore would be ignored by
 * every other member).
 *
 * <p>The rules, checked in this order, the first broken one giving the {@link Reason}:
 *
 * <ul>
 *   <li><b>No current state</b> (or one that does not list {@code self}: this client's user left or
 *       was removed, and an update that adds it again is a new join): the update applies if it
 *       lists {@code self} ({@code not_for_me}) and {@code sender} as members ({@code
 *       not_a_member}), and {@code sender} is its creator or one of its admins ({@code
 *       not_allowed}): a creation, or the update that added {@code self}.
 *   <li><b>A current state</b>: the same id ({@code other_group}), the same creator ({@code
 *       creator_changed}), revision exactly one more ({@code not_a_successor}: a replay, a rollback
 *       or a gap), and {@code sender} a current member ({@code not_a_member}). The update must
 *       change the members, the name or the admins ({@code no_change}). A <b>leave</b> (it removes
 *       exactly {@code sender}, adds nobody, keeps the name, and its admins are the current ones
 *       without {@code sender}) applies from any member. Any other change needs {@code sender} to
 *       be the creator or a current admin, and, for a change of the admins or a removal of the
 *       creator, to be the creator ({@code not_allowed}). So an admin cannot remove another admin
 *       (that changes the admins), and once the creator has left nobody changes the admins.
 * </ul>
 */
public final class GroupRules {
  private GroupRules() {}

  /**
   * Decides whether {@code proposed}, sent by {@code sender}, replaces {@code current} in the
   * client of {@code self}.
   *
   * @param current the state this client holds for the group, or null if none
   * @param sender the username that sent the update ({@code self} for one's own change)
   * @param proposed the update's state
   * @param self this client's username
   */
  public static Outcome apply(GroupState current, String sender, GroupState proposed, String self) {
    if (current == null || !current.members().contains(self)) {
      return join(sender, proposed, self);
    }
    if (!proposed.id().equals(current.id())) {
      return new Outcome.Ignored(Reason.OTHER_GROUP);
    }
    if (!proposed.creator().equals(current.creator())) {
      return new Outcome.Ignored(Reason.CREATOR_CHANGED);
    }
    if (proposed.revision() != current.revision() + 1) {
      return new Outcome.Ignored(Reason.NOT_A_SUCCESSOR);
    }
    if (!current.members().contains(sender)) {
      return new Outcome.Ignored(Reason.NOT_A_MEMBER);
    }
    Set<String> added = minus(proposed.members(), current.members());
    Set<String> removed = minus(current.members(), proposed.members());
    boolean renamed = !proposed.name().equals(current.name());
    boolean adminsChanged = !proposed.admins().equals(current.admins());
    if (added.isEmpty() && removed.isEmpty() && !renamed && !adminsChanged) {
      return new Outcome.Ignored(Reason.NO_CHANGE);
    }
    boolean leave =
        removed.equals(Set.of(sender))
            && added.isEmpty()
            && !renamed
            && proposed.admins().equals(minus(current.admins(), Set.of(sender)));
    boolean byCreator = sender.equals(current.creator());
    if (!leave
        && (!current.isManager(sender)
            || (adminsChanged && !byCreator)
            || (removed.contains(current.creator()) && !byCreator))) {
      return new Outcome.Ignored(Reason.NOT_ALLOWED);
    }
    boolean selfRemoved = removed.contains(self);
    return new Outcome.Applied(
        proposed, new Change(false, added, removed, renamed, adminsChanged, leave, selfRemoved));
  }

  private static Outcome join(String sender, GroupState proposed, String self) {
    if (!proposed.members().contains(self)) {
      return new Outcome.Ignored(Reason.NOT_FOR_ME);
    }
    if (!proposed.members().contains(sender)) {
      return new Outcome.Ignored(Reason.NOT_A_MEMBER);
    }
    if (!proposed.isManager(sender)) {
      return new Outcome.Ignored(Reason.NOT_ALLOWED);
    }
    return new Outcome.Applied(proposed, Change.join());
  }

  private static Set<String> minus(Set<String> a, Set<String> b) {
    Set<String> rest = new TreeSet<>(a);
    rest.removeAll(b);
    return rest;
  }
}
