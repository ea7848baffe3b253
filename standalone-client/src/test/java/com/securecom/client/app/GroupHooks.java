package com.securecom.client.app;

import com.securecom.client.e2e.MessagePayload;
import com.securecom.protocol.DeviceIds;
import com.securecom.protocol.groups.GroupId;
import com.securecom.protocol.groups.GroupState;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A member breaking the group rules, for tests: sends a group update or text over the sender's real
 * sessions without the checks {@link Messenger}'s group methods make first.
 */
public final class GroupHooks {
  private GroupHooks() {}

  /** Sends {@code state} as a {@code groupUpdate} to {@code to}, whatever the rules say. */
  public static Messenger.Outcome sendUpdate(Messenger from, GroupState state, Set<String> to) {
    return from.groupOutbox()
        .sendUnchecked(
            state.id(),
            to,
            new MessagePayload.GroupUpdate(
                UUID.randomUUID().toString(),
                Instant.now(),
                state,
                DeviceIds.FIRST,
                DeviceIds.FIRST));
  }

  /** Sends {@code body} as a {@code groupText} of group {@code group} to {@code to}. */
  public static Messenger.Outcome sendText(
      Messenger from, GroupId group, Set<String> to, String body) {
    return from.groupOutbox()
        .sendUnchecked(
            group,
            to,
            new MessagePayload.GroupText(
                UUID.randomUUID().toString(),
                Instant.now(),
                group,
                body,
                DeviceIds.FIRST,
                DeviceIds.FIRST));
  }
}
