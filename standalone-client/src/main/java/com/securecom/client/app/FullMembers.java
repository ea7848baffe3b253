package com.securecom.client.app;

import com.securecom.client.e2e.MessagePayload;
import com.securecom.protocol.wire.WireMessage;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which members a group message may leave out after the relay refused it for a full queue ({@code
 * queue_full} or {@code sender_share_full}, whose {@code devices} name the full devices' users;
 * docs/protocol.md, "Version 5", "A full member"). Without this, one member who never reads would
 * stall every group message once its queue is full, the update that removes it included.
 *
 * <p>The rule: a {@code groupText} leaves out every named user (they miss that text; the sender is
 * told). A {@code groupUpdate} leaves out only the users it removes: a member who missed an update
 * would ignore every later one as not a successor, so an update to a member who stays waits, and
 * the admin can remove the silent member, which that update may then leave out. Only if every named
 * user may be left out, and someone is left to send to, is the message sent again, under the same
 * id (nothing was stored under it) and with the same envelopes for everybody else.
 */
final class FullMembers {
  private FullMembers() {}

  /**
   * The copies of {@code copies} to send again without the full users {@code full}, or empty if the
   * message must wait in the outbox instead.
   *
   * @param payload what the copies carry ({@code groupText} or {@code groupUpdate})
   * @param self this account's username (a full own device: a text leaves out its transcripts, an
   *     update waits)
   */
  static Optional<List<WireMessage.Copy>> sendWithout(
      List<WireMessage.Copy> copies,
      MessagePayload payload,
      List<WireMessage.UserDevices> full,
      String self) {
    Set<String> named = new TreeSet<>();
    full.forEach(devices -> named.add(devices.user()));
    for (String user : named) {
      if (!mayLeaveOut(user, payload, self)) {
        return Optional.empty();
      }
    }
    List<WireMessage.Copy> rest = copies.stream().filter(c -> !named.contains(c.to())).toList();
    return named.isEmpty() || rest.isEmpty() || rest.size() == copies.size()
        ? Optional.empty()
        : Optional.of(rest);
  }

  private static boolean mayLeaveOut(String user, MessagePayload payload, String self) {
    if (payload instanceof MessagePayload.GroupText) {
      return true;
    }
    return payload instanceof MessagePayload.GroupUpdate update
        && !user.equals(self)
        && !update.group().members().contains(user);
  }
}
