package com.securecom.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.securecom.protocol.groups.GroupId;
import com.securecom.protocol.groups.GroupState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two group payloads (docs/protocol.md, "Group payloads"): written in the documented member
 * order, read back, and accepted both from a peer and from another device of the own account, since
 * every member and the sender's devices get the same payload.
 */
class GroupPayloadTest {
  private static final Instant AT = Instant.parse("2025-01-01T12:00:00Z");
  private static final GroupId GROUP = new GroupId("5f0c3a9e1b2d4c6e8f00112233445566");
  private static final GroupState STATE =
      GroupState.create(GROUP, "Climbing", "alice", List.of("bob"));

  private final Pair p;

  GroupPayloadTest() throws Exception {
    p = new Pair();
  }

  private static String json(MessagePayload payload) {
    return new String(payload.encode(), StandardCharsets.UTF_8);
  }

  @Test
  void aGroupText_isWrittenWithItsGroupBeforeTheBody_andReadBack() {
    MessagePayload.GroupText text = new MessagePayload.GroupText("g1", AT, GROUP, "Hi", 2, 3);

    assertThat(json(text))
        .isEqualTo(
            "{\"id\":\"g1\",\"type\":\"groupText\",\"sentAt\":\"2025-01-01T12:00:00.000Z\","
                + "\"group\":\"5f0c3a9e1b2d4c6e8f00112233445566\",\"body\":\"Hi\","
                + "\"fromDevice\":2,\"toDevice\":3}");
    assertThat(MessagePayload.decode(text.encode())).contains(text);
  }

  @Test
  void aGroupUpdate_carriesTheWholeState_andReadsBack() {
    MessagePayload.GroupUpdate update = new MessagePayload.GroupUpdate("u1", AT, STATE, 1, 1);

    assertThat(json(update))
        .isEqualTo(
            "{\"id\":\"u1\",\"type\":\"groupUpdate\",\"sentAt\":\"2025-01-01T12:00:00.000Z\","
                + "\"group\":{\"id\":\"5f0c3a9e1b2d4c6e8f00112233445566\",\"revision\":1,"
                + "\"name\":\"Climbing\",\"creator\":\"alice\",\"admins\":[],"
                + "\"members\":[\"alice\",\"bob\"]}}");
    assertThat(MessagePayload.decode(update.encode())).contains(update);
  }

  @Test
  void groupPayloads_decryptFromAPeer_andFromTheOwnAccount() throws Exception {
    for (String ownAccount : new String[] {null, "alice"}) {
      String id = "g-" + ownAccount;
      byte[] text = p.alice.encrypt(new MessagePayload.GroupText(id, AT, GROUP, "Hi", 2, 3));
      assertThat(Session.payload(p.bob.decrypt(text, Session.payloadCheck(id, 2, 3, ownAccount))))
          .isInstanceOf(MessagePayload.GroupText.class);
      byte[] update = p.alice.encrypt(new MessagePayload.GroupUpdate(id + "u", AT, STATE, 2, 3));
      assertThat(
              Session.payload(
                  p.bob.decrypt(update, Session.payloadCheck(id + "u", 2, 3, ownAccount))))
          .isInstanceOf(MessagePayload.GroupUpdate.class);
    }
  }
}
