package com.securecom.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.client.app.KnownGroup;
import com.securecom.protocol.groups.GroupId;
import com.securecom.protocol.groups.GroupRules;
import com.securecom.protocol.groups.GroupState;
import com.securecom.protocol.groups.Outcome;
import com.securecom.protocol.groups.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Groups on the terminal: names and texts from other users cannot reach it as escape sequences, and
 * {@code #GROUP} names exactly one group or fails listing the candidates.
 */
class GroupLinesTest {
  private static final GroupId ID = new GroupId("0123456789abcdef0123456789abcdef");
  private static final GroupId OTHER = new GroupId("0123456799999999999999999999999f");
  private static final String ESCAPE = "\u001b]0;pwned\u0007\u001b[2J";

  /** A right-to-left override: allowed in a group name by its rule, not safe to print as is. */
  private static final String OVERRIDE = "\u202eevil";

  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();

  private static GroupState team(GroupId id, String name) {
    return GroupState.create(id, name, "alice", List.of("bob", "carol"));
  }

  @Test
  void aGroupMessage_printsAsTimeNameSenderText_withEscapesDefused() {
    Printer printer = new Printer(out::add, err::add, false);

    printer.receivedInGroup(
        team(ID, "team" + OVERRIDE), "bob", 0, "id-1", "hi" + ESCAPE, Instant.now(), false);

    assertThat(out)
        .singleElement()
        .asString()
        .matches("\\[\\d\\d:\\d\\d:\\d\\d\\] #team.* bob: hi.*");
    assertThat(out.get(0))
        .doesNotContain("\u001b")
        .doesNotContain("\u0007")
        .doesNotContain("\u202e");
  }

  @Test
  void aChange_isOneNoticeLine_sayingWhoDidWhat_andARemovalSaysYouAreOut() {
    Printer printer = new Printer(out::add, err::add, false);
    GroupState before = team(ID, "team");
    GroupState after = before.withRemoved(List.of("carol"));
    Outcome.Applied created = (Outcome.Applied) GroupRules.apply(null, "alice", before, "bob");
    Outcome.Applied removed = (Outcome.Applied) GroupRules.apply(before, "alice", after, "carol");

    printer.groupChanged(null, before, created.change(), "alice");
    printer.groupChanged(before, after, removed.change(), "alice");
    printer.groupUpdateIgnored(ID, "team" + OVERRIDE, "bob", Reason.NOT_ALLOWED);

    assertThat(out)
        .containsExactly(
            "** #team (01234567): alice created the group; members: alice, bob, carol",
            "** #team (01234567): alice removed carol; you are no longer in the group");
    assertThat(err).singleElement().asString().contains("from bob: not allowed");
    assertThat(err.get(0)).doesNotContain("\u202e");
  }

  @Test
  void hashGroup_matchesAnExactName_orAnIdPrefixOfEightOrMore() {
    List<KnownGroup> groups =
        List.of(
            new KnownGroup(team(ID, "team"), KnownGroup.Status.MEMBER),
            new KnownGroup(team(OTHER, "other"), KnownGroup.Status.MEMBER));

    assertThat(GroupArgument.resolve(groups, "#team").state().id()).isEqualTo(ID);
    assertThat(GroupArgument.resolve(groups, "#0123456789").state().id()).isEqualTo(ID);
    assertThatThrownBy(() -> GroupArgument.resolve(groups, "#01234567"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("several groups")
        .hasMessageContaining(ID.hex())
        .hasMessageContaining(OTHER.hex());
    assertThatThrownBy(() -> GroupArgument.resolve(groups, "#0123"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("no group is named #0123")
        .hasMessageContaining("#team");
    assertThatThrownBy(() -> GroupArgument.resolve(groups, "#Team"))
        .isInstanceOf(UsageException.class);
  }
}
