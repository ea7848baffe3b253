package com.securecom.client.e2e;

import java.util.List;

/**
 * The group payloads of {@code envelope.json} (docs/protocol.md, "Group payloads"): valid {@code
 * groupText} and {@code groupUpdate} texts, and invalid ones each breaking one rule once. The group
 * state's own rules have their cases in {@code groups.json}; here only how a payload carries it.
 */
final class GroupPayloadCases {
  private static final String T = "\"sentAt\":\"2025-01-01T12:00:00.000Z\"";
  private static final String G = "5f0c3a9e1b2d4c6e8f00112233445566";
  private static final String STATE =
      "{\"id\":\""
          + G
          + "\",\"revision\":2,\"name\":\"Climbing\",\"creator\":\"alice\","
          + "\"admins\":[\"bob\"],\"members\":[\"alice\",\"bob\",\"carol\"]}";

  private GroupPayloadCases() {}

  private static String groupText(String group, String rest) {
    return "{\"id\":\"g1\",\"type\":\"groupText\"," + T + ",\"group\":" + group + rest + "}";
  }

  private static String groupUpdate(String group, String rest) {
    return "{\"id\":\"u1\",\"type\":\"groupUpdate\"," + T + ",\"group\":" + group + rest + "}";
  }

  private static String[] c(String name, String json) {
    return new String[] {name, json};
  }

  private static String state(String from, String to) {
    return STATE.replace(from, to);
  }

  /** Name and JSON text of each case. */
  static List<String[]> valid() {
    return List.of(
        c("groupText", groupText("\"" + G + "\"", ",\"body\":\"Hi all\"")),
        c(
            "groupTextFromDevice2ToDevice3",
            groupText("\"" + G + "\"", ",\"body\":\"Hi\",\"fromDevice\":2,\"toDevice\":3")),
        c(
            "groupTextOtherOrderUnknownMember",
            "{\"body\":\"x\",\"group\":\""
                + G
                + "\",\"type\":\"groupText\",\"replyTo\":\"g0\",\"id\":\"g2\","
                + T
                + "}"),
        c("groupUpdate", groupUpdate(STATE, "")),
        c("groupUpdateToDevice2", groupUpdate(STATE, ",\"toDevice\":2")),
        c(
            "groupUpdateStateOtherOrder",
            groupUpdate(
                "{\"members\":[\"alice\",\"bob\"],\"admins\":[],\"creator\":\"alice\","
                    + "\"name\":\"Climbing\",\"revision\":1,\"id\":\""
                    + G
                    + "\"}",
                "")));
  }

  /** Name and JSON text of each case. */
  static List<String[]> invalid() {
    return List.of(
        c(
            "groupTextMissingGroup",
            "{\"id\":\"g1\",\"type\":\"groupText\"," + T + ",\"body\":\"Hi\"}"),
        c(
            "groupTextGroupUpperCase",
            groupText("\"" + G.toUpperCase(java.util.Locale.ROOT) + "\"", ",\"body\":\"Hi\"")),
        c("groupTextGroupShort", groupText("\"" + G.substring(2) + "\"", ",\"body\":\"Hi\"")),
        c("groupTextGroupIsAState", groupText(STATE, ",\"body\":\"Hi\"")),
        c("groupTextMissingBody", groupText("\"" + G + "\"", "")),
        c("groupTextEmptyBody", groupText("\"" + G + "\"", ",\"body\":\"\"")),
        c(
            "groupTextBodyTooLong",
            groupText("\"" + G + "\"", ",\"body\":\"" + "x".repeat(60_001) + "\"")),
        c(
            "groupTextFromDeviceOneWritten",
            groupText("\"" + G + "\"", ",\"body\":\"Hi\",\"fromDevice\":1")),
        c("groupUpdateMissingGroup", "{\"id\":\"u1\",\"type\":\"groupUpdate\"," + T + "}"),
        c("groupUpdateGroupIsAnId", groupUpdate("\"" + G + "\"", "")),
        c("groupUpdateGroupIsText", groupUpdate("\"" + STATE.replace("\"", "\\\"") + "\"", "")),
        c(
            "groupUpdateRevisionExponent",
            groupUpdate(state("\"revision\":2", "\"revision\":2e0"), "")),
        c("groupUpdateRevisionZero", groupUpdate(state("\"revision\":2", "\"revision\":0"), "")),
        c(
            "groupUpdateMembersUnsorted",
            groupUpdate(
                state("[\"alice\",\"bob\",\"carol\"]", "[\"bob\",\"alice\",\"carol\"]"), "")),
        c("groupUpdateAdminNotMember", groupUpdate(state("[\"bob\"]", "[\"dave\"]"), "")),
        c("groupUpdateNameWithNewline", groupUpdate(state("Climbing", "Climbing\\n"), "")),
        c("groupUpdateToDeviceZero", groupUpdate(STATE, ",\"toDevice\":0")),
        c(
            "groupTextTypeLowerCase",
            "{\"id\":\"g1\",\"type\":\"grouptext\","
                + T
                + ",\"group\":\""
                + G
                + "\",\"body\":\"Hi\"}"));
  }
}
