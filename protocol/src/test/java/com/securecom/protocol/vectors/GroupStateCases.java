package com.securecom.protocol.vectors;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The group state texts of {@code groups.json}: {@code states.valid[]} and {@code
 * states.invalid[]}, each invalid text breaking one rule of docs/protocol.md, "Group state", once.
 */
final class GroupStateCases {
  static final String ID = "5f0c3a9e1b2d4c6e8f00112233445566";

  /** A named JSON text. */
  record Case(String name, String json) {}

  private GroupStateCases() {}

  /** A state's text from its members' JSON texts, in the canonical order; null leaves one out. */
  static String state(
      String id, String revision, String name, String creator, String admins, String members) {
    List<String> parts = new ArrayList<>();
    add(parts, "id", id);
    add(parts, "revision", revision);
    add(parts, "name", name);
    add(parts, "creator", creator);
    add(parts, "admins", admins);
    add(parts, "members", members);
    return "{" + String.join(",", parts) + "}";
  }

  private static void add(List<String> parts, String member, String json) {
    if (json != null) {
      parts.add(q(member) + ":" + json);
    }
  }

  /** A JSON string of {@code text}, which needs no escaping. */
  static String q(String text) {
    return "\"" + text + "\"";
  }

  /** A JSON array of strings. */
  static String arr(String... names) {
    return "["
        + java.util.Arrays.stream(names).map(GroupStateCases::q).collect(Collectors.joining(","))
        + "]";
  }

  private static final String MEMBERS = arr("alice", "bob", "carol");

  /** The first state with one member's JSON text replaced. */
  private static String with(String member, String json) {
    return state(
        member.equals("id") ? json : q(ID),
        member.equals("revision") ? json : "1",
        member.equals("name") ? json : q("Climbing"),
        member.equals("creator") ? json : q("alice"),
        member.equals("admins") ? json : "[]",
        member.equals("members") ? json : MEMBERS);
  }

  /** {@code count} usernames {@code user000}, {@code user001}, ... in increasing order. */
  static String[] users(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> String.format("user%03d", i))
        .toArray(String[]::new);
  }

  static List<Case> valid() {
    String[] many = users(256);
    return List.of(
        new Case("created", with("name", q("Climbing"))),
        new Case(
            "adminsAndUnicodeName",
            state(
                q(ID),
                "7",
                q("Caf\u00e9 \uD83E\uDDD7 crew"),
                q("alice"),
                arr("bob"),
                arr("alice", "bob", "carol", "dave"))),
        new Case(
            "creatorLeft",
            state(q(ID), "12", q("Climbing"), q("alice"), arr("bob"), arr("bob", "carol"))),
        new Case("creatorNamedAdmin", with("admins", arr("alice", "carol"))),
        new Case("oneMember", with("members", arr("alice"))),
        new Case("largestRevision", with("revision", "9007199254740991")),
        new Case("byteOrder", with("members", arr("alice", "bob-x", "bob.x", "bob1", "bob_1"))),
        new Case(
            "members256", state(q(ID), "3", q("Big"), q("user000"), arr("user255"), arr(many))),
        new Case("name200Bytes", with("name", q("\u00e9".repeat(100)))),
        new Case("nameInnerAndOuterSpaces", with("name", q(" a\u00a0b "))),
        new Case("nameFormatCharacter", with("name", q("a\u202eb"))),
        new Case(
            "otherMemberOrder",
            "{\"members\":"
                + MEMBERS
                + ",\"admins\":[],\"creator\":\"alice\",\"name\":\"Climbing\","
                + "\"revision\":1,\"id\":\""
                + ID
                + "\"}"),
        new Case("unknownMemberIgnored", with("members", MEMBERS + ",\"topic\":\"rocks\"")),
        new Case("nameEscaped", with("name", q("\\u0043limbing \\\"indoor\\\""))),
        new Case(
            "whitespaceBetweenTokens",
            "{ \"id\" : \""
                + ID
                + "\" ,\n\"revision\":1,\"name\":\"Climbing\","
                + "\"creator\":\"alice\",\"admins\":[ ],\"members\":[ \"alice\" , \"bob\" ]}"));
  }

  static List<Case> invalid() {
    return List.of(
        new Case("notJson", "{\"id\":"),
        new Case("array", "[" + with("name", q("Climbing")) + "]"),
        new Case("string", q("Climbing")),
        new Case("idMissing", with("id", null)),
        new Case("idUpperCase", with("id", q(ID.toUpperCase(java.util.Locale.ROOT)))),
        new Case("id31Characters", with("id", q(ID.substring(1)))),
        new Case("id33Characters", with("id", q(ID + "0"))),
        new Case("idNotHex", with("id", q("g" + ID.substring(1)))),
        new Case("idNumber", with("id", "12345678901234567890123456789012")),
        new Case("revisionMissing", with("revision", null)),
        new Case("revisionZero", with("revision", "0")),
        new Case("revisionNegative", with("revision", "-1")),
        new Case("revisionString", with("revision", q("1"))),
        new Case("revisionFraction", with("revision", "1.0")),
        new Case("revisionExponent", with("revision", "1e0")),
        new Case("revisionLeadingZero", with("revision", "01")),
        new Case("revision2Pow53", with("revision", "9007199254740992")),
        new Case("revision20Digits", with("revision", "10000000000000000000")),
        new Case("revisionNull", with("revision", "null")),
        new Case("nameMissing", with("name", null)),
        new Case("nameEmpty", with("name", q(""))),
        new Case("name201Bytes", with("name", q("\u00e9".repeat(100) + "x"))),
        new Case("nameOnlySpaces", with("name", q("   "))),
        new Case("nameOnlyOtherSpaces", with("name", q("\u00a0\u3000\u2028"))),
        new Case("nameNewline", with("name", q("a\\nb"))),
        new Case("nameTab", with("name", q("a\\tb"))),
        new Case("nameNul", with("name", q("a\\u0000b"))),
        new Case("nameDelete", with("name", q("a\u007fb"))),
        new Case("nameC1Control", with("name", q("a\u0085b"))),
        new Case("nameLoneSurrogate", with("name", q("a\\ud83eb"))),
        new Case("nameNumber", with("name", "7")),
        new Case("creatorMissing", with("creator", null)),
        new Case("creatorNotAUsername", with("creator", q("Alice"))),
        new Case("creatorNumber", with("creator", "7")),
        new Case("adminsMissing", with("admins", null)),
        new Case("adminsNull", with("admins", "null")),
        new Case("adminsString", with("admins", q("bob"))),
        new Case("adminNotMember", with("admins", arr("dave"))),
        new Case("adminsUnsorted", with("admins", arr("carol", "bob"))),
        new Case("adminsRepeated", with("admins", arr("bob", "bob"))),
        new Case("adminNumber", with("admins", "[7]")),
        new Case("membersMissing", with("members", null)),
        new Case("membersEmpty", with("members", "[]")),
        new Case("membersObject", with("members", "{\"alice\":true}")),
        new Case("membersUnsorted", with("members", arr("alice", "carol", "bob"))),
        new Case("membersUnsortedByteOrder", with("members", arr("alice", "bob_1", "bob1"))),
        new Case("membersRepeated", with("members", arr("alice", "bob", "bob", "carol"))),
        new Case("memberNotAUsername", with("members", arr("alice", "b"))),
        new Case("memberNull", with("members", "[\"alice\",null]")),
        new Case("members257", state(q(ID), "1", q("Big"), q("user000"), "[]", arr(users(257)))));
  }
}
