package com.securecom.client.cli;

import com.securecom.client.app.Groups;
import com.securecom.protocol.groups.Change;
import com.securecom.protocol.groups.GroupId;
import com.securecom.protocol.groups.GroupState;
import com.securecom.protocol.groups.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * Group events as lines for people. Group names and texts come from other users: every one is made
 * safe to print ({@link TerminalText}); usernames follow the server's rule and print as they are.
 */
final class GroupLines {
  /** The most code points of a group name shown. */
  static final int NAME_LENGTH = 64;

  private GroupLines() {}

  /** {@code #name}, made safe to print. */
  static String tag(String name) {
    return "#" + TerminalText.printable(name, NAME_LENGTH);
  }

  /** The first {@value Groups#MIN_PREFIX} hex characters of a group's id. */
  static String shortId(GroupId id) {
    return id.hex().substring(0, Groups.MIN_PREFIX);
  }

  /** What an applied update changed, as one line. */
  static String changed(GroupState before, GroupState after, Change change, String by) {
    String head = "** " + tag(after.name()) + " (" + shortId(after.id()) + "): ";
    if (before == null || change.joined()) {
      boolean created = after.creator().equals(by) && after.revision() == 1;
      return head
          + by
          + (created ? " created the group" : " added you")
          + "; members: "
          + String.join(", ", after.members());
    }
    List<String> parts = new ArrayList<>();
    if (change.left()) {
      parts.add(by + " left");
    } else if (!change.removed().isEmpty()) {
      parts.add(by + " removed " + String.join(", ", change.removed()));
    }
    if (!change.added().isEmpty()) {
      parts.add(by + " added " + String.join(", ", change.added()));
    }
    if (change.renamed()) {
      parts.add(by + " renamed it from " + tag(before.name()));
    }
    if (change.adminsChanged()) {
      parts.add(
          by
              + " set the admins to "
              + (after.admins().isEmpty() ? "nobody" : String.join(", ", after.admins())));
    }
    if (change.selfRemoved()) {
      parts.add("you are no longer in the group");
    }
    return head + String.join("; ", parts);
  }

  /** An update that was ignored (the group kept its state). */
  static String ignored(GroupId group, String knownName, String from, Reason reason) {
    return "ignored a change to group "
        + (knownName == null ? "" : tag(knownName) + " ")
        + "("
        + shortId(group)
        + ") from "
        + from
        + ": "
        + explain(reason);
  }

  private static String explain(Reason reason) {
    return switch (reason) {
      case NOT_FOR_ME -> "it is not for you (you are not a member)";
      case OTHER_GROUP -> "it is for another group";
      case CREATOR_CHANGED -> "it names another creator";
      case NOT_A_SUCCESSOR -> "it does not follow the state you have (replayed, old or skipped)";
      case NOT_A_MEMBER -> "the sender is not a member";
      case NO_CHANGE -> "it changes nothing";
      case NOT_ALLOWED -> "not allowed";
    };
  }
}
