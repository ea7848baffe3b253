package com.securecom.protocol.groups;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an applied update changed, for the client to tell its user. With no state before ({@code
 * joined}), every other field is empty or false: the whole new state is news.
 *
 * @param joined there was no current state: the group was created, or this client's user was added
 * @param added (in increasing order) the members of the new state that were not members before
 * @param removed (in increasing order) the members before that are not members of the new state
 * @param renamed the name changed
 * @param adminsChanged the set of admins changed
 * @param left the update is its sender's leave (it removed itself and changed nothing else)
 * @param selfRemoved this client's user was a member and is not any more (by its own leave too)
 */
public record Change(
    boolean joined,
    Set<String> added,
    Set<String> removed,
    boolean renamed,
    boolean adminsChanged,
    boolean left,
    boolean selfRemoved) {
  public Change {
    added = Collections.unmodifiableSortedSet(new TreeSet<>(added));
    removed = Collections.unmodifiableSortedSet(new TreeSet<>(removed));
  }

  /** The change of a state that was not there before. */
  static Change join() {
    return new Change(true, Set.of(), Set.of(), false, false, false, false);
  }
}
