package com.securecom.protocol.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GroupStateTest {
  private static final GroupId ID = GroupId.random(new SecureRandom());
  private static final GroupState CREATED =
      GroupState.create(ID, "Climbing", "alice", List.of("carol", "bob"));

  @Test
  void create_isRevisionOneWithTheCreatorAMemberAndNoAdmins() {
    assertThat(CREATED.revision()).isEqualTo(1);
    assertThat(CREATED.members()).containsExactly("alice", "bob", "carol");
    assertThat(CREATED.admins()).isEmpty();
  }

  @Test
  void eachBuilder_makesTheNextRevision() {
    assertThat(CREATED.withAdded(Set.of("dave")).members()).contains("dave");
    assertThat(CREATED.withName("Bouldering").name()).isEqualTo("Bouldering");
    assertThat(CREATED.withAdmins(Set.of("bob")).admins()).containsExactly("bob");
    assertThat(
            List.of(
                CREATED.withAdded(Set.of("dave")),
                CREATED.withRemoved(Set.of("bob")),
                CREATED.withName("Bouldering"),
                CREATED.withAdmins(Set.of("bob")),
                CREATED.leftBy("carol")))
        .allSatisfy(next -> assertThat(next.revision()).isEqualTo(2));
  }

  @Test
  void removingAnAdmin_removesItFromTheAdminsToo() {
    GroupState removed = CREATED.withAdmins(Set.of("bob")).withRemoved(Set.of("bob"));

    assertThat(removed.members()).containsExactly("alice", "carol");
    assertThat(removed.admins()).isEmpty();
  }

  @Test
  void theCreatorMayLeave_butTheLastMemberCannot() {
    assertThat(CREATED.leftBy("alice").creator()).isEqualTo("alice");
    GroupState alone = GroupState.create(ID, "Me", "alice", List.of());

    assertThatThrownBy(() -> alone.leftBy("alice")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anAdminWhoIsNotAMember_isRefused() {
    assertThatThrownBy(() -> CREATED.withAdmins(Set.of("dave")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("admin");
  }

  @Test
  void theLastRevision_hasNoSuccessor() {
    GroupState last =
        new GroupState(ID, GroupState.MAX_REVISION, "x", "alice", Set.of(), Set.of("alice"));

    assertThatThrownBy(() -> last.withName("y")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sets_areSortedInByteOrderAndUnmodifiable() {
    GroupState state = CREATED.withAdded(Set.of("bob_1", "bob1", "bob-x"));

    assertThat(state.members()).containsExactly("alice", "bob", "bob-x", "bob1", "bob_1", "carol");
    assertThatThrownBy(() -> state.members().add("erin"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void encodeThenDecode_givesTheSameState() throws Exception {
    GroupState state = CREATED.withAdmins(Set.of("bob")).withName("Caf\u00e9 \"club\"");

    assertThat(GroupStateJson.decode(GroupStateJson.encode(state))).isEqualTo(state);
  }

  @Test
  void groupIds_areStrict() throws Exception {
    assertThat(GroupId.random(new SecureRandom()).hex()).matches("[0-9a-f]{32}");
    assertThat(GroupId.parse(ID.hex())).isEqualTo(ID);
    for (String bad :
        new String[] {null, "", ID.hex().toUpperCase(), " " + ID.hex(), ID.hex() + "0"}) {
      assertThatThrownBy(() -> GroupId.parse(bad)).isInstanceOf(MalformedGroupException.class);
    }
  }
}
