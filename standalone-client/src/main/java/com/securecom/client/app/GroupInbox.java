package com.securecom.client.app;

import com.securecom.client.e2e.MessagePayload;
import com.securecom.protocol.groups.GroupState;
import com.securecom.protocol.groups.Outcome;

/**
 * Receiving group payloads (docs/protocol.md, "Groups"), once {@link Inbox} has authenticated them:
 * an update goes through {@link com.securecom.protocol.groups.GroupRules} and is kept only if it
 * applies; a text is shown only if its sender and this user are members of the group as this
 * profile holds it. Either way the delivery is acknowledged and no receipt is sent (docs/design/
 * groups.md, decision 6). From another device of this account, the same payloads are this user's
 * own: its update applies with this user as sender, its text shows as sent by this user.
 */
final class GroupInbox {
  private final Vault vault;
  private final MessengerEvents events;

  GroupInbox(Vault vault, MessengerEvents events) {
    this.vault = vault;
    this.events = events;
  }

  /**
   * Takes a group payload from {@code from}'s device {@code device}, under the vault's lock and
   * before the save that remembers the delivery (so the group's new state and the ratchet are saved
   * together); returns what to tell the user once the save is done.
   *
   * @param pinned true if it authenticated under {@code from}'s pinned identity: an update under a
   *     new identity the user has not confirmed is ignored, a text is shown marked unconfirmed
   */
  Runnable take(String from, int device, String id, MessagePayload payload, boolean pinned) {
    String self = vault.info().username();
    Groups groups = new Groups(vault.data(), self);
    if (payload instanceof MessagePayload.GroupUpdate update) {
      GroupState proposed = update.group();
      KnownGroup known = groups.get(proposed.id()).orElse(null);
      String knownName = known == null ? null : known.state().name();
      if (!pinned) {
        return () ->
            events.warning(
                "ignored a change to a group from "
                    + from
                    + ": it came under a new identity key of "
                    + from
                    + " that you have not confirmed");
      }
      Outcome outcome = groups.decide(from, proposed);
      if (outcome instanceof Outcome.Applied applied) {
        KnownGroup before = groups.keep(applied);
        GroupState was = before == null ? null : before.state();
        return () -> events.groupChanged(was, applied.newState(), applied.change(), from);
      }
      Outcome.Ignored ignored = (Outcome.Ignored) outcome;
      return () -> events.groupUpdateIgnored(proposed.id(), knownName, from, ignored.reason());
    }
    MessagePayload.GroupText text = (MessagePayload.GroupText) payload;
    KnownGroup known = groups.get(text.group()).orElse(null);
    if (known == null) {
      return () -> events.groupTextRefused(text.group(), from, "you know no such group");
    }
    if (known.status() != KnownGroup.Status.MEMBER) {
      return () -> events.groupTextRefused(text.group(), from, "you are no longer in the group");
    }
    if (!known.state().members().contains(from)) {
      return () -> events.groupTextRefused(text.group(), from, from + " is not a member of it");
    }
    int ownDevice = from.equals(self) ? device : 0;
    return () ->
        events.receivedInGroup(
            known.state(), from, ownDevice, id, text.body(), text.sentAt(), !pinned);
  }
}
