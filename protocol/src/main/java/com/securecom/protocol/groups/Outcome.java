package com.securecom.protocol.groups;

/** What {@link GroupRules#apply} decides about one update: applied, or ignored and why. */
public sealed interface Outcome permits Outcome.Applied, Outcome.Ignored {
  /**
   * The update applies: {@code newState} replaces the current one.
   *
   * @param newState the update's state, now the group's
   * @param change what it changed
   */
  record Applied(GroupState newState, Change change) implements Outcome {}

  /**
   * The update does not apply: the current state stays.
   *
   * @param reason the first rule it breaks
   */
  record Ignored(Reason reason) implements Outcome {}
}
