package com.securecom.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.client.app.GroupHooks;
import com.securecom.protocol.groups.GroupState;
import com.securecom.testkit.CliProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A group of three through a real server, one {@code securecom} process per command as users run
 * them: they chat, each seeing the others' texts in each sender's order; the creator removes one
 * member, whose client says so and who gets no copy of anything after, not even one the server
 * could hand over (a copy for another member does not decrypt with her whole state); and rule
 * breakers are ignored: a member who is no admin adding someone (the update made with the library
 * and sent over his real sessions, {@link GroupHooks}), and a non-member's text claiming the group.
 */
class GroupChatIT {
  @RegisterExtension static final PayaraServer server = new PayaraServer();

  private static final Pattern SENT_ID = Pattern.compile("sent to #crew \\(([0-9a-f-]+)\\)");

  private final Path home = server.workDirectory().resolve("group-profiles");
  private final Cli cli =
      new Cli(server.uri(), home, server.workDirectory().resolve("group-output"));
  private final ServerDatabase database = new ServerDatabase(server);

  private static final Duration WAIT = Duration.ofSeconds(60);

  GroupChatIT() throws Exception {}

  /** The group lines each user's commands printed so far: a group send prints what it receives. */
  private final Map<String, List<String>> seen = new HashMap<>();

  private CliProcess.Result succeeds(String user, String... args) throws Exception {
    CliProcess.Result result = cli.run(user, args);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    seen.computeIfAbsent(user, u -> new ArrayList<>()).addAll(groupLines(result));
    return result;
  }

  private List<String> seenBy(String user) {
    return List.copyOf(seen.getOrDefault(user, List.of()));
  }

  /** What {@code send '#crew'} printed, and the id of the text it sent. */
  private record Said(String out, String id) {}

  /** Sends {@code text} to #crew as {@code user}. */
  private Said say(String user, String text) throws Exception {
    String out = succeeds(user, "send", "#crew", text).out();
    Matcher sent = SENT_ID.matcher(out);
    assertThat(sent.find()).as(out).isTrue();
    return new Said(out, sent.group(1));
  }

  /** The group lines of a {@code receive}, as printed after the time. */
  private static List<String> groupLines(CliProcess.Result received) {
    return received
        .out()
        .lines()
        .filter(l -> l.matches("\\[\\d\\d:\\d\\d:\\d\\d\\] #.*"))
        .map(l -> l.substring(l.indexOf('#')))
        .toList();
  }

  @Test
  void threeChat_aRemovedMemberGetsNothingMore_andRuleBreakersAreIgnored() throws Exception {
    for (String user : List.of("alice", "bob", "carol", "dave")) {
      succeeds(user, "register", user);
    }
    assertThat(succeeds("alice", "group", "create", "crew", "bob", "carol").out())
        .contains("#crew", "alice created the group; members: alice, bob, carol");
    for (String member : List.of("bob", "carol")) {
      assertThat(succeeds(member, "receive").out())
          .contains("alice created the group; members: alice, bob, carol");
    }

    say("alice", "a1");
    say("alice", "a2");
    assertThat(say("bob", "b1").out())
        .as("a group send receives first")
        .containsSubsequence("#crew alice: a1", "#crew alice: a2", "sent to #crew");
    say("bob", "b2");
    say("carol", "c1");
    for (String member : List.of("alice", "bob", "carol")) {
      succeeds(member, "receive");
    }
    assertThat(seenBy("alice"))
        .containsExactly("#crew bob: b1", "#crew bob: b2", "#crew carol: c1");
    assertThat(seenBy("bob"))
        .containsExactly("#crew alice: a1", "#crew alice: a2", "#crew carol: c1");
    assertThat(seenBy("carol"))
        .containsSubsequence("#crew alice: a1", "#crew alice: a2")
        .containsSubsequence("#crew bob: b1", "#crew bob: b2")
        .hasSize(4);

    String groups = succeeds("alice", "groups").out();
    assertThat(groups).contains("#crew", "you: creator");
    assertThat(groups.lines().filter(l -> l.contains("bob") || l.contains("carol")))
        .allSatisfy(l -> assertThat(l).contains("not verified"));

    assertThat(succeeds("alice", "group", "remove", "#crew", "carol").out())
        .contains("alice removed carol");
    assertThat(succeeds("carol", "receive").out())
        .contains("alice removed carol; you are no longer in the group");
    assertThat(succeeds("carol", "groups").out()).contains("you: removed");

    // bob did not run receive since the removal: his send takes it first, so his text skips carol
    Said bobSays = say("bob", "after carol left, from bob");
    assertThat(bobSays.out()).containsSubsequence("alice removed carol", "sent to #crew");
    String fromBob = bobSays.id();
    assertThat(database.copiesOf("bob", fromBob, "alice")).isEqualTo(1);
    assertThat(database.copiesOf("bob", fromBob, "carol")).as("no copy for carol").isZero();
    String secret = say("alice", "after carol left, from alice").id();
    assertThat(seenBy("alice")).endsWith("#crew bob: after carol left, from bob");
    assertThat(database.copiesOf("alice", secret, "bob")).isEqualTo(1);
    assertThat(database.copiesOf("alice", secret, "carol")).as("no copy for carol").isZero();
    assertThat(succeeds("carol", "receive").out()).doesNotContain("after carol left");
    // the server hands carol the copy it holds for bob: her whole state does not decrypt it
    database.redirectCopy("alice", secret, "bob", "carol");
    CliProcess.Result redirected = succeeds("carol", "receive");
    assertThat(redirected.out()).doesNotContain("after carol left");
    assertThat(redirected.err()).contains("a message from alice could not be decrypted");

    AppClient bob = AppClient.open(server.uri(), home, "bob").connect();
    GroupState crew;
    try {
      crew = bob.groups().get(0).state();
      assertThat(crew.isManager("bob")).isFalse();
      GroupHooks.sendUpdate(
          bob.messenger(), crew.withAdded(List.of("dave")), Set.of("alice", "dave"));
      bob.sync();
      assertThat(bob.groups().get(0).state()).as("bob's own client ignores it").isEqualTo(crew);
    } finally {
      bob.goOffline();
    }
    assertThat(succeeds("alice", "receive").err())
        .contains("ignored a change to group #crew", "from bob: not allowed");
    CliProcess.Result atDave = succeeds("dave", "receive");
    assertThat(atDave.err()).contains("from bob: not allowed");
    assertThat(succeeds("dave", "groups").out()).doesNotContain("crew");

    succeeds("dave", "send", "alice", "hello alice, it's dave");
    assertThat(succeeds("alice", "receive").out()).contains("dave: hello alice, it's dave");
    AppClient dave = AppClient.open(server.uri(), home, "dave").connect();
    try {
      GroupHooks.sendText(dave.messenger(), crew.id(), Set.of("alice"), "let me in");
      dave.sync();
    } finally {
      dave.goOffline();
    }
    CliProcess.Result atAlice = succeeds("alice", "receive");
    assertThat(atAlice.out()).doesNotContain("let me in");
    assertThat(atAlice.err())
        .contains("a message from dave to group", "dave is not a member of it");
  }

  @Test
  void aChangeIsMadeAfterTheUpdatesWaitingForItsMaker_soTwoAdminsInTurnDoNotForkTheGroup()
      throws Exception {
    for (String user : List.of("gina", "hank", "ivy", "jack")) {
      succeeds(user, "register", user);
    }
    succeeds("gina", "group", "create", "band", "hank", "ivy");
    succeeds("gina", "group", "admins", "#band", "hank");
    assertThat(succeeds("hank", "receive").out()).contains("gina set the admins to hank");
    assertThat(succeeds("hank", "group", "add", "#band", "jack").out()).contains("hank added jack");

    // gina has not run receive: her next change first takes hank's update, then follows it
    assertThat(succeeds("gina", "group", "remove", "#band", "ivy").out())
        .containsSubsequence("hank added jack", "gina removed ivy");
    CliProcess.Result atHank = succeeds("hank", "receive");
    assertThat(atHank.out()).contains("gina removed ivy");
    assertThat(atHank.err()).doesNotContain("ignored");
    assertThat(succeeds("jack", "receive").out()).contains("hank added you", "gina removed ivy");
    assertThat(succeeds("ivy", "receive").out())
        .contains("hank added jack", "gina removed ivy; you are no longer in the group");
  }

  @Test
  void aGroupMessageOfOneDevice_showsAsOwnOnTheOther_andItsUpdateAppliesThere() throws Exception {
    for (String user : List.of("erin", "frank")) {
      succeeds(user, "register", user);
    }
    AppClient laptop =
        AppClient.link(
            AppClient.open(server.uri(), home, "erin"),
            server.uri(),
            server.workDirectory().resolve("group-laptop"),
            "laptop");
    succeeds("erin", "group", "create", "pair", "frank");
    succeeds("erin", "send", "#pair", "from the desktop");

    laptop.connect();
    try {
      Await.until(WAIT, laptop::toString, () -> laptop.groupLines().size() == 1);
      assertThat(laptop.groupLines()).containsExactly("#pair erin@1: from the desktop");
      assertThat(laptop.groups())
          .singleElement()
          .satisfies(g -> assertThat(g.role("erin")).isEqualTo("creator"));
      GroupState pair = laptop.groups().get(0).state();
      assertThat(laptop.messenger().sendToGroup(pair.id(), List.of("from the laptop")).outcomes())
          .allSatisfy(o -> assertThat(o.failure()).isNull());
      laptop.messenger().rename(pair.id(), "pair 2");
    } finally {
      laptop.goOffline();
    }
    assertThat(succeeds("erin", "receive").out())
        .contains("#pair erin: from the laptop", "erin renamed it from #pair");
    CliProcess.Result atFrank = succeeds("frank", "receive");
    assertThat(groupLines(atFrank))
        .containsExactly("#pair erin: from the desktop", "#pair erin: from the laptop");
    assertThat(atFrank.out()).contains("erin renamed it from #pair");
    assertThat(succeeds("erin", "groups").out()).contains("#pair 2");
  }
}
