package com.securecom.client.cli;

import com.securecom.client.app.Groups;
import com.securecom.client.app.KnownGroup;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A group named on the command line as {@code #GROUP}: its exact name, or at least {@value
 * Groups#MIN_PREFIX} hex characters its id starts with. Unknown or ambiguous is a usage error that
 * lists the candidates.
 */
final class GroupArgument {
  private GroupArgument() {}

  /** True if {@code argument} names a group ({@code #...}) rather than a user. */
  static boolean isGroup(String argument) {
    return argument.startsWith("#");
  }

  /** The one group of {@code groups} that {@code argument} names. */
  static KnownGroup resolve(List<KnownGroup> groups, String argument) {
    String query = isGroup(argument) ? argument.substring(1) : argument;
    List<KnownGroup> found = Groups.matching(groups, query);
    if (found.size() == 1) {
      return found.get(0);
    }
    List<KnownGroup> candidates = found.isEmpty() ? groups : found;
    String listed =
        candidates.isEmpty()
            ? "you are in no group yet (securecom group create NAME USER...)"
            : "choose one of: "
                + candidates.stream()
                    .map(g -> GroupLines.tag(g.state().name()) + " (" + g.hex() + ")")
                    .collect(Collectors.joining(", "));
    throw new UsageException(
        (found.isEmpty() ? "no group is named " : "several groups are named ")
            + GroupLines.tag(query)
            + "; "
            + listed);
  }
}
