package com.securecom.client.app;

import com.securecom.protocol.groups.GroupState;

/**
 * A group this profile knows: the last state it applied ({@link
 * com.securecom.protocol.groups.GroupRules}), and whether this user is still in it.
 *
 * @param state the group's state as this client holds it
 * @param status whether this user is a member, left, or was removed
 */
public record KnownGroup(GroupState state, Status status) {
  /** Whether this profile's user is in the group. */
  public enum Status {
    MEMBER,
    /** This user left (its own leave, from any of its devices). */
    LEFT,
    /** A creator or admin removed this user. */
    REMOVED
  }

  public KnownGroup {
    if (state == null || status == null) {
      throw new IllegalArgumentException("a known group has a state and a status");
    }
  }

  /** The group's id as 32 hex characters. */
  public String hex() {
    return state.id().hex();
  }

  /** This user's role as the {@code groups} listing names it. */
  public String role(String self) {
    if (status != Status.MEMBER) {
      return status == Status.LEFT ? "left" : "removed";
    }
    return state.creator().equals(self)
        ? "creator"
        : state.admins().contains(self) ? "admin" : "member";
  }
}
