package com.securecom.client.app;

import com.securecom.client.e2e.MessagePayload;
import com.securecom.protocol.DeviceIds;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.devices.Fanout;
import com.securecom.protocol.groups.GroupId;
import com.securecom.protocol.groups.GroupState;
import com.securecom.protocol.groups.Outcome;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.protocol.wire.WireMessage.UserDevices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Sending to a group (docs/design/groups.md, decision 1): each message is one relay {@code send}
 * whose copies cover every device of every other member, from each member's pinned device list, and
 * this account's other devices, each encrypted on the pairwise session under the pin (started from
 * bundles where missing). Saved in the {@link Outbox} before it goes out and resent, same id and
 * envelopes, until the server accepts it. An update is checked with the rules as if received (this
 * user its sender) before it is encrypted, goes to the members of the old and the new state (so a
 * removed member learns it was removed), and applies here once the server accepted it ({@link
 * #applyOwn}).
 */
final class GroupOutbox {
  private final Messaging with;
  private final Outbox outbox;
  private final CopyMaker copies;

  GroupOutbox(Messaging with, Outbox outbox) {
    this.with = with;
    this.outbox = outbox;
    this.copies = new CopyMaker(with);
  }

  private String self() {
    return with.vault().info().username();
  }

  /** The group {@code id} as this profile holds it, if this user is in it. */
  KnownGroup member(GroupId id) {
    synchronized (with.vault()) {
      KnownGroup known =
          new Groups(with.vault().data(), self())
              .get(id)
              .orElseThrow(() -> new IllegalArgumentException("you know no such group"));
      if (known.status() != KnownGroup.Status.MEMBER) {
        throw new IllegalArgumentException("you are no longer in this group");
      }
      return known;
    }
  }

  /**
   * Encrypts {@code texts} for group {@code id}'s other members and this account's other devices,
   * saves them and hands them to the relay (see {@link Outbox#submit}).
   *
   * @throws IllegalArgumentException if this user is not in the group, nobody else is, or a text is
   *     empty or too long
   */
  Messenger.Submitted send(GroupId id, List<String> texts) {
    KnownGroup group = member(id);
    Set<String> to = others(group.state().members());
    List<MessagePayload.GroupText> payloads = new ArrayList<>();
    for (String text : texts) {
      payloads.add(
          new MessagePayload.GroupText(
              UUID.randomUUID().toString(),
              with.clock().instant(),
              id,
              text,
              DeviceIds.FIRST,
              DeviceIds.FIRST));
    }
    long[] nanos = new long[payloads.size()];
    List<ProfileData.Outgoing> outgoing = seal(id, to, payloads, nanos);
    List<Duration> times = new ArrayList<>();
    for (long n : nanos) {
      times.add(Duration.ofNanos(n));
    }
    return outbox.handOver(
        "#" + group.state().name(),
        payloads.stream().map(MessagePayload.GroupText::id).toList(),
        texts,
        outgoing,
        times);
  }

  /**
   * Sends {@code proposed}, this user's change to the group ({@code GroupState.create} for a new
   * one), if this user's own rules apply it; it applies here once the server has stored it.
   *
   * @return what the server answered (a null failure: stored, and applied here)
   * @throws IllegalArgumentException if the rules ignore it (the reason says why), or an earlier
   *     change of this user's to the group is still waiting in the outbox
   */
  Messenger.Outcome update(GroupState proposed) {
    GroupState before;
    synchronized (with.vault()) {
      Groups groups = new Groups(with.vault().data(), self());
      if (groups.decide(self(), proposed) instanceof Outcome.Ignored ignored) {
        throw new IllegalArgumentException(
            "this change would be ignored by the group's members: " + ignored.reason().code());
      }
      if (updateWaiting(proposed.id())) {
        throw new IllegalArgumentException(
            "your last change to this group is not sent yet; it is sent on the next connection");
      }
      before = groups.get(proposed.id()).map(KnownGroup::state).orElse(null);
    }
    Set<String> to = others(proposed.members());
    if (before != null) {
      to.addAll(others(before.members()));
    }
    MessagePayload.GroupUpdate update =
        new MessagePayload.GroupUpdate(
            UUID.randomUUID().toString(),
            with.clock().instant(),
            proposed,
            DeviceIds.FIRST,
            DeviceIds.FIRST);
    if (to.isEmpty() && with.devices().pinned(self()).ids().size() <= 1) {
      applyOwn(update); // nobody to tell: a group of one, on one device
      return new Messenger.Outcome(update.id(), Duration.ZERO, null);
    }
    return sendUnchecked(proposed.id(), to, update);
  }

  /**
   * Encrypts {@code payload} for {@code to} and this account's other devices as a message to group
   * {@code group}, saves it and waits for the server's answer, checking nothing about the group:
   * for {@link #update} once it checked, and for tests that play a member breaking the rules.
   */
  Messenger.Outcome sendUnchecked(GroupId group, Set<String> to, MessagePayload payload) {
    long[] nanos = new long[1];
    List<ProfileData.Outgoing> outgoing = seal(group, to, List.of(payload), nanos);
    return outbox
        .handOver(
            Groups.outboxName(group),
            List.of(payload.id()),
            List.of("(group message)"),
            outgoing,
            List.of(Duration.ofNanos(nanos[0])))
        .outcomes()
        .get(0);
  }

  /**
   * Applies this user's update once the server stored it (or at once, if it went to nobody); the
   * user is told, as for anyone's update.
   */
  void applyOwn(MessagePayload.GroupUpdate update) {
    Runnable told;
    synchronized (with.vault()) {
      Groups groups = new Groups(with.vault().data(), self());
      if (groups
          .get(update.group().id())
          .map(g -> g.state().equals(update.group()))
          .orElse(false)) {
        return; // applied before a crash left it in the outbox: resent, and stored once
      }
      Outcome outcome = groups.decide(self(), update.group());
      if (outcome instanceof Outcome.Applied applied) {
        KnownGroup before = groups.keep(applied);
        with.vault().save();
        GroupState was = before == null ? null : before.state();
        told = () -> with.events().groupChanged(was, applied.newState(), applied.change(), self());
      } else {
        Outcome.Ignored ignored = (Outcome.Ignored) outcome;
        told =
            () ->
                with.events()
                    .warning(
                        "your change to group "
                            + update.group().id().hex().substring(0, Groups.MIN_PREFIX)
                            + " was sent but not applied here: "
                            + ignored.reason().code()
                            + " (another change to the group came first)");
      }
    }
    told.run();
  }

  /** True if an update of this user's to group {@code id} waits in the outbox. */
  private boolean updateWaiting(GroupId id) {
    String name = Groups.outboxName(id);
    return with.vault().data().outbox.values().stream()
        .filter(o -> o.to().equals(name) && o.payload() != null)
        .anyMatch(
            o ->
                MessagePayload.decode(Bytes.fromBase64(o.payload())).orElse(null)
                    instanceof MessagePayload.GroupUpdate);
  }

  private Set<String> others(Set<String> members) {
    Set<String> others = new TreeSet<>(members);
    others.remove(self());
    return others;
  }

  /**
   * Encrypts each payload for every device of {@code to} and this account's other devices, and
   * saves them in the outbox with one durable write before anything goes out.
   */
  private List<ProfileData.Outgoing> seal(
      GroupId group, Set<String> to, List<? extends MessagePayload> payloads, long[] nanos) {
    Vault vault = with.vault();
    synchronized (vault) {
      String token = vault.token(with.clock().instant());
      List<UserDevices> sets = new ArrayList<>();
      for (String user : to) {
        outbox.prepare(token, user); // pinned on first use, its list checked, sessions started
        sets.add(with.devices().pinned(user));
      }
      outbox.prepareOwn(token);
      UserDevices own = with.devices().pinned(self());
      int device = vault.data().deviceId;
      List<Fanout.Target> targets =
          sets.isEmpty()
              ? Fanout.required(self(), device, own).stream()
                  .map(d -> new Fanout.Target(self(), d))
                  .toList()
              : Fanout.targets(device, own, sets, true);
      if (targets.isEmpty()) {
        throw new IllegalArgumentException("nobody else is in this group");
      }
      if (targets.size() > WireMessage.MAX_COPIES) {
        throw new IllegalArgumentException(
            "the group has "
                + targets.size()
                + " devices besides this one; one message reaches at most "
                + WireMessage.MAX_COPIES);
      }
      Map<String, List<Integer>> devices = new LinkedHashMap<>();
      targets.forEach(t -> devices.computeIfAbsent(t.to(), u -> new ArrayList<>()).add(t.device()));
      List<List<WireMessage.Copy>> all = new ArrayList<>();
      payloads.forEach(p -> all.add(new ArrayList<>()));
      for (Map.Entry<String, List<Integer>> user : devices.entrySet()) {
        List<List<WireMessage.Copy>> made =
            copies.encrypt(user.getKey(), user.getValue(), payloads, nanos);
        for (int i = 0; i < payloads.size(); i++) {
          all.get(i).addAll(made.get(i));
        }
      }
      List<ProfileData.Outgoing> outgoing = new ArrayList<>();
      for (int i = 0; i < payloads.size(); i++) {
        MessagePayload p = payloads.get(i);
        ProfileData.Outgoing message =
            new ProfileData.Outgoing(
                p.id(), Groups.outboxName(group), all.get(i), Bytes.base64(p.encode()));
        outgoing.add(message);
        vault.data().queue(message);
      }
      vault.save(); // durable before anything goes out: a crash cannot reuse a message key
      return outgoing;
    }
  }
}
