package com.securecom.protocol.groups;

/**
 * Why {@link GroupRules#apply} ignores an update (docs/protocol.md, "Group rules"), in the order
 * the rules check. A client tells its user once and keeps its state.
 */
public enum Reason {
  /** No current state, and the update does not list this client's user as a member. */
  NOT_FOR_ME("not_for_me"),
  /** The update is for another group than the current state (another id). */
  OTHER_GROUP("other_group"),
  /** The update names another creator than the current state. */
  CREATOR_CHANGED("creator_changed"),
  /** The revision is not the current one plus 1: a replay, a rollback or a gap. */
  NOT_A_SUCCESSOR("not_a_successor"),
  /** The sender is not a member (of the current state, or with none of the update). */
  NOT_A_MEMBER("not_a_member"),
  /** The same members, name and admins as the current state: nothing to apply. */
  NO_CHANGE("no_change"),
  /** The sender may not make this change (or, with no current state, did not make the group). */
  NOT_ALLOWED("not_allowed");

  private final String code;

  Reason(String code) {
    this.code = code;
  }

  /** The name the vectors use ({@code groups.json}, {@code reason}). */
  public String code() {
    return code;
  }
}
