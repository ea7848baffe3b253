package com.securecom.client.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.client.app.TestClient.GroupMessage;
import com.securecom.protocol.groups.GroupState;
import com.securecom.protocol.wire.ErrorCodes;
import com.securecom.protocol.wire.WireMessage;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Groups end to end between real clients over a fake relay: one send per group message with a copy
 * for each other member, every client applying the same rules, and nothing for a removed member.
 */
class GroupsTest extends AgainstHostileServer {
  private TestClient alice;
  private TestClient bob;
  private TestClient carol;

  private GroupState team() throws Exception {
    alice = client("alice").publish().connect();
    bob = client("bob").publish().connect();
    carol = client("carol").publish().connect();
    GroupState team = alice.messenger().createGroup("team", List.of("bob", "carol"));
    server.settle();
    return team;
  }

  private static KnownGroup only(TestClient c) {
    assertThat(c.groups()).hasSize(1);
    return c.groups().get(0);
  }

  /**
   * Settles until {@code done}: a send made again after a refusal goes out from the outbox's own
   * thread, so the server may take it after the sender already has its answer.
   */
  private void settleUntil(BooleanSupplier done) throws InterruptedException {
    for (int i = 0; i < 500 && !done.getAsBoolean(); i++) {
      server.settle();
      Thread.sleep(10);
    }
    server.settle();
  }

  private static List<String> users(WireMessage.Send send) {
    return send.copies().stream().map(WireMessage.Copy::to).toList();
  }

  @Test
  void creatingAGroup_isOneSendToEveryOtherMember_andEachAppliesIt() throws Exception {
    GroupState team = team();

    assertThat(server.sends).hasSize(1);
    assertThat(users(server.sends.get(0))).containsExactlyInAnyOrder("bob", "carol");
    for (TestClient c : List.of(alice, bob, carol)) {
      assertThat(only(c).state()).isEqualTo(team);
      assertThat(only(c).status()).isEqualTo(KnownGroup.Status.MEMBER);
      assertThat(c.groupChanges).containsExactly("alice team r1");
      assertThat(c.warnings).isEmpty();
    }
    assertThat(only(alice).role("alice")).isEqualTo("creator");
    assertThat(only(bob).role("bob")).isEqualTo("member");
  }

  @Test
  void groupTexts_areShownInTheGroup_inOrder_withNoReceipts() throws Exception {
    GroupState team = team();
    int before = server.sends.size();

    alice.messenger().sendToGroup(team.id(), List.of("one", "two")).outcomes();
    bob.messenger().sendToGroup(team.id(), List.of("three")).outcomes();
    server.settle();

    assertThat(carol.groupMessages)
        .containsExactly(
            new GroupMessage("team", "alice", 0, "one", false),
            new GroupMessage("team", "alice", 0, "two", false),
            new GroupMessage("team", "bob", 0, "three", false));
    assertThat(bob.groupMessages).extracting(GroupMessage::text).containsExactly("one", "two");
    assertThat(alice.groupMessages).extracting(GroupMessage::text).containsExactly("three");
    assertThat(server.sends).hasSize(before + 3); // no receipt went out for any of them
    assertThat(carol.received).isEmpty();
  }

  @Test
  void aRemovedMember_isTold_andGetsNoCopyOfWhatFollows() throws Exception {
    GroupState team = team();

    alice.messenger().removeMembers(team.id(), List.of("carol"));
    server.settle();
    assertThat(users(server.sends.get(server.sends.size() - 1)))
        .as("the removal goes to the removed member too")
        .containsExactlyInAnyOrder("bob", "carol");
    assertThat(only(carol).status()).isEqualTo(KnownGroup.Status.REMOVED);
    assertThat(only(bob).state().members()).containsExactly("alice", "bob");

    alice.messenger().sendToGroup(team.id(), List.of("after")).outcomes();
    bob.messenger().sendToGroup(team.id(), List.of("also after")).outcomes();
    server.settle();

    List<WireMessage.Send> last =
        server.sends.subList(server.sends.size() - 2, server.sends.size());
    assertThat(last).allSatisfy(s -> assertThat(users(s)).doesNotContain("carol"));
    assertThat(carol.groupMessages).isEmpty();
    assertThatThrownBy(() -> carol.messenger().sendToGroup(team.id(), List.of("hello?")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no longer in this group");
  }

  @Test
  void aMemberWhoIsNoAdmin_cannotAdd_andEveryClientIgnoresItsForgedUpdate() throws Exception {
    GroupState team = team();
    client("dave").publish().connect();

    assertThatThrownBy(() -> bob.messenger().addMembers(team.id(), List.of("dave")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not_allowed");
    GroupHooks.sendUpdate(
        bob.messenger(), team.withAdded(List.of("dave")), Set.of("alice", "carol", "dave"));
    server.settle();

    for (TestClient c : List.of(alice, carol)) {
      assertThat(only(c).state()).isEqualTo(team);
      assertThat(c.warnings).singleElement().asString().contains("from bob: not_allowed");
    }
    TestClient dave = clients.get(clients.size() - 1);
    assertThat(dave.groups()).isEmpty(); // bob is no manager: not a join
    assertThat(dave.warnings).singleElement().asString().contains("not_allowed");
  }

  @Test
  void anAdminTheCreatorNamed_mayAdd_butOnlyTheCreatorNamesAdmins() throws Exception {
    GroupState team = team();
    client("dave").publish().connect();
    TestClient dave = clients.get(clients.size() - 1);

    alice.messenger().setAdmins(team.id(), List.of("bob"));
    server.settle();
    assertThat(only(carol).state().admins()).containsExactly("bob");
    assertThatThrownBy(() -> bob.messenger().setAdmins(team.id(), List.of("bob", "carol")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not_allowed");
    assertThatThrownBy(() -> alice.messenger().setAdmins(team.id(), List.of("erin")))
        .as("an admin is a member")
        .isInstanceOf(IllegalArgumentException.class);

    bob.messenger().addMembers(team.id(), List.of("dave"));
    server.settle();

    for (TestClient c : List.of(alice, bob, carol, dave)) {
      assertThat(only(c).state().members()).containsExactly("alice", "bob", "carol", "dave");
      assertThat(only(c).state().admins()).containsExactly("bob");
    }
  }

  @Test
  void aGroupTextFromANonMember_isNotShown() throws Exception {
    GroupState team = team();
    TestClient dave = client("dave").publish().connect();
    dave.send("alice", "hi, it's dave"); // a session with alice
    server.settle();

    GroupHooks.sendText(dave.messenger(), team.id(), Set.of("alice"), "let me in");
    server.settle();

    assertThat(alice.groupMessages).isEmpty();
    assertThat(alice.warnings)
        .singleElement()
        .asString()
        .contains("from dave")
        .contains("dave is not a member of it");
  }

  @Test
  void renameAndLeave_applyEverywhere_andTheOneWhoLeftStopsReceiving() throws Exception {
    GroupState team = team();

    alice.messenger().rename(team.id(), "team 2");
    server.settle();
    carol.messenger().leave(team.id());
    server.settle();

    assertThat(only(alice).state().name()).isEqualTo("team 2");
    assertThat(only(bob).state().members()).containsExactly("alice", "bob");
    assertThat(only(carol).status()).isEqualTo(KnownGroup.Status.LEFT);
    assertThat(bob.groupChanges)
        .containsExactly("alice team r1", "alice team 2 r2", "carol team 2 r3");
    alice.messenger().sendToGroup(team.id(), List.of("bye")).outcomes();
    server.settle();
    assertThat(users(server.sends.get(server.sends.size() - 1))).containsExactly("bob");
  }

  @Test
  void anUpdateUnderANewUnconfirmedKey_isIgnored_evenInTheCreatorsName() throws Exception {
    GroupState team = team();
    TestClient mallory = client("alice").publish().connect(); // the server now serves her keys

    GroupHooks.sendUpdate(mallory.messenger(), team.withRemoved(List.of("carol")), Set.of("bob"));
    server.settle();

    assertThat(only(bob).state()).isEqualTo(team);
    assertThat(bob.warnings)
        .anySatisfy(w -> assertThat(w).contains("ignored a change to a group from alice"));
  }

  @Test
  void aReplayedUpdate_isIgnored() throws Exception {
    GroupState team = team();
    alice.messenger().rename(team.id(), "renamed");
    server.settle();

    GroupHooks.sendUpdate(alice.messenger(), team.withName("renamed"), Set.of("bob"));
    server.settle();

    assertThat(only(bob).state().revision()).isEqualTo(2);
    assertThat(bob.warnings).singleElement().asString().contains("not_a_successor");
  }

  @Test
  void anUpdateTheServerCannotStoreNow_waitsInTheOutbox_andAppliesOnceStored() throws Exception {
    GroupState team = team();
    server.refuseMessagesTo("bob", ErrorCodes.UNAVAILABLE, "the store failed");

    assertThatThrownBy(() -> alice.messenger().rename(team.id(), "later"))
        .isInstanceOf(QueuedException.class);
    assertThat(only(alice).state()).as("not applied before it is stored").isEqualTo(team);
    assertThatThrownBy(() -> alice.messenger().rename(team.id(), "meanwhile"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not sent yet");

    server.acceptMessagesTo("bob");
    alice.messenger().close();
    alice.connect(); // resends the outbox
    server.settle();

    for (TestClient c : List.of(alice, bob, carol)) {
      assertThat(only(c).state().name()).isEqualTo("later");
    }
  }

  @Test
  void aMemberWhoseQueueIsFull_missesTheText_butTheOthersGetItAtOnce() throws Exception {
    GroupState team = team();
    server.refuseMessagesTo("carol", ErrorCodes.QUEUE_FULL, "a device's queue is full");

    Messenger.Outcome outcome =
        alice.messenger().sendToGroup(team.id(), List.of("still on?")).outcomes().get(0);
    settleUntil(() -> !bob.groupMessages.isEmpty());

    assertThat(outcome.failure()).as("accepted, without carol").isNull();
    assertThat(server.refused).hasSize(1);
    WireMessage.Send resent = server.sends.get(server.sends.size() - 1);
    assertThat(resent.id()).as("the same id: nothing was stored under it").isEqualTo(outcome.id());
    assertThat(users(resent)).containsExactly("bob");
    assertThat(bob.groupMessages).extracting(GroupMessage::text).containsExactly("still on?");
    assertThat(carol.groupMessages).isEmpty();
    assertThat(alice.warnings)
        .singleElement()
        .asString()
        .contains("did not reach carol")
        .contains("a device's queue is full");
    synchronized (alice.vault) {
      assertThat(alice.vault.data().outbox).isEmpty();
    }
  }

  @Test
  void aFullMember_cannotStallTheGroupsChanges_theUpdateThatRemovesThemGoesWithoutThem()
      throws Exception {
    GroupState team = team();
    server.refuseMessagesTo("carol", ErrorCodes.SENDER_SHARE_FULL, "your share is full");

    assertThatThrownBy(() -> alice.messenger().rename(team.id(), "climbers"))
        .as("a member who stays must not miss a change: not made, and nothing waits")
        .hasMessageContaining("remove them from the group");
    assertThat(only(alice).state()).isEqualTo(team);
    synchronized (alice.vault) {
      assertThat(alice.vault.data().outbox).isEmpty();
    }

    alice.messenger().removeMembers(team.id(), List.of("carol"));
    settleUntil(() -> only(bob).state().members().size() == 2);

    assertThat(users(server.sends.get(server.sends.size() - 1))).containsExactly("bob");
    assertThat(only(alice).state().members()).containsExactly("alice", "bob");
    assertThat(only(bob).state().members()).containsExactly("alice", "bob");
    assertThat(only(carol).state()).as("carol never heard of it").isEqualTo(team);
    alice.messenger().rename(team.id(), "climbers");
    server.settle();
    assertThat(only(bob).state().name()).isEqualTo("climbers");
  }

  @Test
  void staleDevicesForAGroupMessage_checksEveryMembersList_andRefusesWhatTheyDoNotSign()
      throws Exception {
    GroupState team = team();
    server.refuseMessagesTo("bob", ErrorCodes.STALE_DEVICES, "the device set changed");

    Messenger.Outcome outcome =
        alice.messenger().sendToGroup(team.id(), List.of("hello")).outcomes().get(0);

    assertThat(outcome.failure())
        .isInstanceOfSatisfying(
            MessageRejectedException.class,
            e -> assertThat(e.code()).isEqualTo(MessageRejectedException.UNSIGNED_DEVICE))
        .hasMessageContaining("a device of bob that bob's identity key has not signed");
    assertThat(server.refused).as("not sent again: the signed lists did not change").hasSize(1);
    synchronized (alice.vault) {
      assertThat(alice.vault.data().outbox).isEmpty();
    }
  }

  @Test
  void theGroups_surviveClosingAndOpeningTheProfile() throws Exception {
    GroupState team = team();
    bob.messenger().close();
    var dir = bob.vault.directory();
    bob.vault.close();

    try (Vault again = Vault.open(dir, "a passphrase nobody guesses 7#".toCharArray())) {
      assertThat(Groups.list(again))
          .containsExactly(new KnownGroup(team, KnownGroup.Status.MEMBER));
    }
  }
}
