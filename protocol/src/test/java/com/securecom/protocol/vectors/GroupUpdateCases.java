package com.securecom.protocol.vectors;

import com.securecom.protocol.groups.Change;
import com.securecom.protocol.groups.GroupId;
import com.securecom.protocol.groups.GroupState;
import com.securecom.protocol.groups.Reason;
import java.util.List;
import java.util.Set;

/**
 * The {@code updates[]} of {@code groups.json}: every rule of docs/protocol.md, "Group rules",
 * once. Each expected answer is written here from the rules, not taken from the code: the generator
 * runs every case through {@code GroupRules.apply} and refuses to write if they disagree.
 */
final class GroupUpdateCases {
  /**
   * One update: {@code current} (null: none) receives {@code proposed} from {@code sender} in the
   * client of {@code self}; exactly one of {@code change} (applied) and {@code reason} (ignored).
   */
  record Case(
      String name,
      GroupState current,
      String sender,
      String self,
      GroupState proposed,
      Change change,
      Reason reason) {}

  static final GroupId ID = new GroupId(GroupStateCases.ID);
  static final GroupId OTHER_ID = new GroupId("00112233445566778899aabbccddeeff");

  /** Revision 1: alice made it with bob and carol. */
  private static final GroupState CREATED =
      GroupState.create(ID, "Climbing", "alice", List.of("bob", "carol"));

  /** Revision 2: alice made bob an admin. */
  private static final GroupState BOB_ADMIN = CREATED.withAdmins(Set.of("bob"));

  private GroupUpdateCases() {}

  private static Case applied(
      String name, GroupState current, String sender, String self, GroupState proposed, Change c) {
    return new Case(name, current, sender, self, proposed, c, null);
  }

  private static Case ignored(
      String name, GroupState current, String sender, String self, GroupState proposed, Reason r) {
    return new Case(name, current, sender, self, proposed, null, r);
  }

  private static final Change JOINED =
      new Change(true, Set.of(), Set.of(), false, false, false, false);

  private static Change added(String... users) {
    return new Change(false, Set.of(users), Set.of(), false, false, false, false);
  }

  private static Change removed(String... users) {
    return new Change(false, Set.of(), Set.of(users), false, false, false, false);
  }

  private static final Change RENAMED =
      new Change(false, Set.of(), Set.of(), true, false, false, false);
  private static final Change ADMINS =
      new Change(false, Set.of(), Set.of(), false, true, false, false);

  static List<Case> all() {
    GroupState creatorLeft = BOB_ADMIN.leftBy("alice");
    GroupState carolRemoved = CREATED.withRemoved(Set.of("carol"));
    return List.of(
        applied("creation", null, "alice", "bob", CREATED, JOINED),
        applied("creationByItsMaker", null, "alice", "alice", CREATED, JOINED),
        applied(
            "joinAddedByAdmin", null, "bob", "dave", BOB_ADMIN.withAdded(Set.of("dave")), JOINED),
        ignored(
            "joinAddedByMember",
            null,
            "carol",
            "dave",
            CREATED.withAdded(Set.of("dave")),
            Reason.NOT_ALLOWED),
        ignored("joinNotForMe", null, "alice", "dave", CREATED, Reason.NOT_FOR_ME),
        ignored("joinFromNonMember", null, "erin", "bob", CREATED, Reason.NOT_A_MEMBER),
        applied(
            "addByCreator",
            CREATED,
            "alice",
            "bob",
            CREATED.withAdded(Set.of("dave")),
            added("dave")),
        applied(
            "addByAdmin",
            BOB_ADMIN,
            "bob",
            "carol",
            BOB_ADMIN.withAdded(Set.of("dave", "erin")),
            added("dave", "erin")),
        applied("removeByCreator", CREATED, "alice", "bob", carolRemoved, removed("carol")),
        applied(
            "removeByAdmin",
            BOB_ADMIN,
            "bob",
            "alice",
            BOB_ADMIN.withRemoved(Set.of("carol")),
            removed("carol")),
        applied(
            "renameByCreator", CREATED, "alice", "bob", CREATED.withName("Bouldering"), RENAMED),
        applied(
            "renameByAdmin", BOB_ADMIN, "bob", "carol", BOB_ADMIN.withName("Bouldering"), RENAMED),
        applied("adminsChangedByCreator", CREATED, "alice", "carol", BOB_ADMIN, ADMINS),
        ignored(
            "adminsChangedByAdmin",
            BOB_ADMIN,
            "bob",
            "carol",
            BOB_ADMIN.withAdmins(Set.of("bob", "carol")),
            Reason.NOT_ALLOWED),
        ignored(
            "creatorRemovedByAdmin",
            BOB_ADMIN,
            "bob",
            "carol",
            BOB_ADMIN.withRemoved(Set.of("alice")),
            Reason.NOT_ALLOWED),
        ignored(
            "adminRemovedByAdmin",
            BOB_ADMIN.withAdmins(Set.of("bob", "carol")),
            "bob",
            "alice",
            BOB_ADMIN.withAdmins(Set.of("bob", "carol")).withRemoved(Set.of("carol")),
            Reason.NOT_ALLOWED),
        applied(
            "creatorRemovedWithOthersByCreator",
            CREATED,
            "alice",
            "bob",
            CREATED.withRemoved(Set.of("alice", "carol")),
            removed("alice", "carol")),
        applied(
            "leaveByMember",
            CREATED,
            "carol",
            "bob",
            CREATED.leftBy("carol"),
            new Change(false, Set.of(), Set.of("carol"), false, false, true, false)),
        applied(
            "leaveByAdmin",
            BOB_ADMIN,
            "bob",
            "alice",
            BOB_ADMIN.leftBy("bob"),
            new Change(false, Set.of(), Set.of("bob"), false, true, true, false)),
        applied(
            "leaveByCreator",
            CREATED,
            "alice",
            "bob",
            CREATED.leftBy("alice"),
            new Change(false, Set.of(), Set.of("alice"), false, false, true, false)),
        applied(
            "leaveSeenByTheLeaver",
            CREATED,
            "carol",
            "carol",
            CREATED.leftBy("carol"),
            new Change(false, Set.of(), Set.of("carol"), false, false, true, true)),
        ignored(
            "leaveThatAlsoRenames",
            CREATED,
            "carol",
            "bob",
            new GroupState(ID, 2, "Gone", "alice", Set.of(), Set.of("alice", "bob")),
            Reason.NOT_ALLOWED),
        ignored(
            "removeByMember",
            CREATED,
            "carol",
            "alice",
            CREATED.withRemoved(Set.of("bob")),
            Reason.NOT_ALLOWED),
        ignored(
            "addByMember",
            CREATED,
            "carol",
            "bob",
            CREATED.withAdded(Set.of("dave")),
            Reason.NOT_ALLOWED),
        ignored(
            "renameByMember",
            CREATED,
            "carol",
            "bob",
            CREATED.withName("Mine"),
            Reason.NOT_ALLOWED),
        ignored(
            "nonMemberSender",
            CREATED,
            "erin",
            "bob",
            CREATED.withAdded(Set.of("erin")),
            Reason.NOT_A_MEMBER),
        ignored(
            "creatorAfterLeaving",
            creatorLeft,
            "alice",
            "bob",
            creatorLeft.withAdded(Set.of("alice")),
            Reason.NOT_A_MEMBER),
        applied(
            "addByAdminAfterCreatorLeft",
            creatorLeft,
            "bob",
            "carol",
            creatorLeft.withAdded(Set.of("dave")),
            added("dave")),
        ignored("replaySameRevision", BOB_ADMIN, "alice", "bob", BOB_ADMIN, Reason.NOT_A_SUCCESSOR),
        ignored(
            "otherStateSameRevision",
            BOB_ADMIN,
            "alice",
            "bob",
            CREATED.withName("Bouldering"),
            Reason.NOT_A_SUCCESSOR),
        ignored(
            "rollback",
            BOB_ADMIN.withName("Bouldering"),
            "alice",
            "bob",
            CREATED,
            Reason.NOT_A_SUCCESSOR),
        ignored(
            "gap",
            CREATED,
            "alice",
            "bob",
            BOB_ADMIN.withName("Bouldering"),
            Reason.NOT_A_SUCCESSOR),
        ignored(
            "otherGroup",
            CREATED,
            "alice",
            "bob",
            GroupState.create(OTHER_ID, "Climbing", "alice", List.of("bob", "carol"))
                .withName("Other"),
            Reason.OTHER_GROUP),
        ignored(
            "creatorChanged",
            CREATED,
            "bob",
            "carol",
            new GroupState(ID, 2, "Climbing", "bob", Set.of(), CREATED.members()),
            Reason.CREATOR_CHANGED),
        ignored(
            "noChange",
            CREATED,
            "alice",
            "bob",
            new GroupState(ID, 2, "Climbing", "alice", Set.of(), CREATED.members()),
            Reason.NO_CHANGE),
        applied(
            "selfRemoved",
            CREATED,
            "alice",
            "carol",
            carolRemoved,
            new Change(false, Set.of(), Set.of("carol"), false, false, false, true)),
        applied(
            "addedAgainAfterRemoval",
            carolRemoved,
            "alice",
            "carol",
            carolRemoved.withAdded(Set.of("carol")),
            JOINED),
        applied(
            "everythingAtOnceByCreator",
            BOB_ADMIN,
            "alice",
            "bob",
            new GroupState(
                ID,
                3,
                "Bouldering",
                "alice",
                Set.of("bob", "dave"),
                Set.of("alice", "bob", "dave")),
            new Change(false, Set.of("dave"), Set.of("carol"), true, true, false, false)));
  }
}
