package com.securecom.server.relay;

import com.securecom.protocol.Usernames;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.devices.Fanout;
import com.securecom.protocol.wire.ErrorCodes;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.protocol.wire.WireMessage.UserDevices;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DeviceSets;
import com.securecom.server.device.DevicesRemoved;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What relay messages mean. A {@code send} to a recipient connected to this node is delivered at
 * once and, if the recipient acknowledges it within the fast-path window ({@link FastPath}),
 * answered {@code accepted} and {@code delivered} without ever being written; any other {@code
 * send} (and one whose window ended) is stored durably before {@code accepted}, then handed to the
 * recipient's connection (here or on another node). Either way {@code accepted} means the message
 * will not be lost. An {@code ack} of a stored message turns it into a receipt for the sender, and
 * the message is forgotten once the sender saw the receipt. The sender of every message is the
 * connection's authenticated user. Writes go through {@link GroupCommit}; an online recipient gets
 * a message from memory, never from a second read.
 */
@ApplicationScoped
public class RelayService {
  private static final Logger LOG = Logger.getLogger(RelayService.class.getName());

  private MessageRepository messages;
  private DeviceSets deviceSets;
  private GroupCommit writes;
  private ConnectionRegistry connections;
  private OtherNodes otherNodes;
  private RelaySettings settings;
  private RelayMetrics metrics;
  private Clock clock;
  private FastPath fastPath;

  /** Keeps each sender's messages to one recipient in order across the fast path and the store. */
  private final PairOrder order = new PairOrder();

  protected RelayService() {}

  @Inject
  public RelayService(
      MessageRepository messages,
      DeviceSets deviceSets,
      GroupCommit writes,
      ConnectionRegistry connections,
      OtherNodes otherNodes,
      RelaySettings settings,
      RelayMetrics metrics,
      Clock clock,
      FastPath fastPath) {
    this.messages = messages;
    this.deviceSets = deviceSets;
    this.writes = writes;
    this.connections = connections;
    this.otherNodes = otherNodes;
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
    this.fastPath = fastPath;
  }

  /**
   * Handles {@code send} from the device {@code sender}: {@code reply} gets {@code accepted} and
   * {@code delivered} once the recipient acknowledged it on the fast path, or {@code accepted} once
   * every copy is durable (and each recipient device's connection, if any, gets its copy at the
   * same moment, from memory), or an {@code error} for that id. Checks are answered at once (in the
   * order docs/protocol.md gives); stored messages after the group commit, on its thread; fast-path
   * ones on the recipient's thread. A version 4 or 5 send ({@code copies}) is checked against the
   * current device sets ({@link Fanout#check}) within what the connection's {@code version} allows
   * (version 5: several users); a version 1 to 3 send is one copy, from and to devices 1 of
   * accounts that have no other device ({@code upgrade_required} otherwise).
   */
  public void send(DeviceAddress sender, int version, WireMessage.Send send, Reply reply) {
    if (send.copies() != null) {
      sendCopies(sender, settings.fanoutLimits(version), send, reply);
      return;
    }
    String id = send.id();
    if (!Usernames.isValid(send.to())) {
      reply.answer(error(id, ErrorCodes.INVALID_RECIPIENT, "'to' is not a valid username"));
      return;
    }
    if (send.to().equals(sender.username())) {
      reply.answer(
          error(
              id,
              ErrorCodes.INVALID_RECIPIENT,
              "'to' is the sender: a client cannot send to itself"));
      return;
    }
    byte[] envelope = envelope(id, send.envelope(), reply);
    if (envelope == null) {
      return;
    }
    Optional<UserDevices> recipient = deviceSets.current(send.to());
    if (recipient.isEmpty()) {
      reply.answer(error(id, ErrorCodes.UNKNOWN_RECIPIENT, "no such user"));
      return;
    }
    if (!firstOnly(recipient) || !firstOnly(deviceSets.current(sender.username()))) {
      reply.answer(
          error(
              id,
              ErrorCodes.UPGRADE_REQUIRED,
              "the recipient or your account has linked devices: this client cannot address"
                  + " them; use one that speaks relay message version 4"));
      return;
    }
    StoredMessage message =
        copy(sender, id, DeviceAddress.first(send.to()), envelope, send.envelope());
    if (!deliverFirst(message, reply)) {
      storeThenDeliver(message, reply);
    }
  }

  /** A version 4 or 5 send: checks 1 to 4, then one copy as above, or all copies in one write. */
  private void sendCopies(
      DeviceAddress sender, Fanout.Limits limits, WireMessage.Send send, Reply reply) {
    String id = send.id();
    List<WireMessage.Copy> copies = send.copies();
    for (WireMessage.Copy copy : copies) {
      if (!Usernames.isValid(copy.to())) {
        reply.answer(
            error(id, ErrorCodes.INVALID_RECIPIENT, "a copy's 'to' is not a valid username"));
        return;
      }
    }
    List<byte[]> envelopes = new ArrayList<>(copies.size());
    long total = 0;
    for (WireMessage.Copy copy : copies) {
      byte[] envelope = envelope(id, copy.envelope(), reply);
      if (envelope == null) {
        return;
      }
      envelopes.add(envelope);
      total += envelope.length;
    }
    if (total > settings.maxSendBytes()) {
      reply.answer(
          error(
              id,
              ErrorCodes.ENVELOPE_TOO_LARGE,
              "the envelopes of a send are larger than " + settings.maxSendBytes() + " bytes"));
      return;
    }
    Fanout.Outcome checked =
        Fanout.check(
            sender.username(),
            sender.deviceId(),
            copies,
            currentSets(sender.username(), copies, limits),
            limits);
    if (checked instanceof Fanout.Refused refused) {
      reply.answer(refused.error(id));
      return;
    }
    long now = clock.millis();
    List<StoredMessage> stored = new ArrayList<>(copies.size());
    for (int i = 0; i < copies.size(); i++) {
      WireMessage.Copy copy = copies.get(i);
      stored.add(
          copy(
              sender,
              id,
              new DeviceAddress(copy.to(), copy.device()),
              envelopes.get(i),
              copy.envelope(),
              now));
    }
    if (stored.size() == 1) {
      if (!deliverFirst(stored.get(0), reply)) {
        storeThenDeliver(stored.get(0), reply);
      }
      return;
    }
    storeAllThenDeliver(new RelayWrite.StoreSend(stored), reply);
  }

  /**
   * The current sets of the sender's account and of the other users the copies name; none of the
   * others if there are more copies or users than {@code limits} allow (check 2 refuses those
   * before any is looked up, so a send cannot make the server look up more names than {@code
   * securecom.relay.max-send-users}).
   */
  private List<UserDevices> currentSets(
      String sender, List<WireMessage.Copy> copies, Fanout.Limits limits) {
    Set<String> others = new LinkedHashSet<>();
    for (WireMessage.Copy copy : copies) {
      if (!copy.to().equals(sender)) {
        others.add(copy.to());
      }
    }
    List<UserDevices> sets = new ArrayList<>();
    sets.add(
        deviceSets
            .current(sender)
            .orElseThrow(() -> new IllegalStateException("a connected account has no devices")));
    if (copies.size() <= limits.copies() && others.size() <= limits.users()) {
      for (String other : others) {
        deviceSets.current(other).ifPresent(sets::add);
      }
    }
    return sets;
  }

  /** True for an account that has device 1 only (a legacy one, or one whose list lists only it). */
  private static boolean firstOnly(Optional<UserDevices> set) {
    return set.map(s -> s.ids().equals(List.of(DeviceAddress.FIRST_ID))).orElse(true);
  }

  /**
   * {@code text} decoded, or null once {@code reply} was told why not. Canonical only (RFC 4648
   * section 4, padded, unused bits zero): the envelope a recipient gets is byte for byte the text
   * the sender sent.
   */
  private byte[] envelope(String id, String text, Reply reply) {
    byte[] envelope = Bytes.fromCanonicalBase64(text);
    if (envelope == null) {
      reply.answer(
          error(
              id,
              ErrorCodes.INVALID_ENVELOPE,
              "envelope must be canonical standard base64 with padding"));
      return null;
    }
    if (envelope.length == 0) {
      reply.answer(error(id, ErrorCodes.INVALID_ENVELOPE, "envelope is empty"));
      return null;
    }
    if (envelope.length > settings.maxEnvelopeBytes()) {
      reply.answer(
          error(
              id,
              ErrorCodes.ENVELOPE_TOO_LARGE,
              "envelope is larger than " + settings.maxEnvelopeBytes() + " bytes"));
      return null;
    }
    return envelope;
  }

  private StoredMessage copy(
      DeviceAddress sender, String id, DeviceAddress to, byte[] envelope, String text, long now) {
    return new StoredMessage(sender, id, to, envelope, now, now + settings.ttl().toMillis(), text);
  }

  private StoredMessage copy(
      DeviceAddress sender, String id, DeviceAddress to, byte[] envelope, String text) {
    return copy(sender, id, to, envelope, text, clock.millis());
  }

  /**
   * The fast path: if the recipient is connected here, not catching up, and no earlier message of
   * this sender to it is still on its way through the store (which would then arrive after this
   * one), delivers {@code message} now and waits up to the window for its {@code ack}. False if it
   * did not.
   */
  private boolean deliverFirst(StoredMessage message, Reply reply) {
    if (!fastPath.enabled()) {
      return false;
    }
    Recipient connection = connections.here(message.to());
    // A copy to the sender's own device is stored: it is owed no receipt, so no window settles it.
    if (connection == null
        || message.from().sameAccount(message.to())
        || !order.mayGoFirst(message, connection)) {
      return false;
    }
    WindowOf window = new WindowOf(message, reply);
    if (!fastPath.await(message, window)) {
      return false;
    }
    if (connection.deliverNow(message)) {
      window.sentOn = connection;
      return true;
    }
    return !fastPath.cancel(message);
  }

  /** A message on the fast path: what its {@code ack} in time, or the end of its window, does. */
  private final class WindowOf implements FastPath.Waiting {
    private final StoredMessage message;
    private final Reply reply;

    /**
     * The connection that got the message before it was stored; null until then (a window that ends
     * before this is set only costs the recipient a second copy, which clients drop by id).
     */
    volatile Recipient sentOn;

    WindowOf(StoredMessage message, Reply reply) {
      this.message = message;
      this.reply = reply;
    }

    @Override
    public void acknowledged() {
      metrics.accepted();
      metrics.delivered();
      metrics.fastPath();
      reply.relayed(message.id(), message.to());
    }

    /**
     * Stores the message, and offers it after the commit only to a connection of the recipient
     * other than the one that already has it (a reconnection here, or on another node); if that
     * connection never acknowledges, the recipient's next connection gets it from the store.
     */
    @Override
    public void store() {
      storeThenDeliver(message, reply, sentOn);
    }
  }

  /**
   * Stores {@code message}, answers the sender once that committed, and offers it to its recipient
   * (here or on another node). While it is on its way, later messages to the same recipient take
   * the same path, so they cannot overtake it.
   */
  private void storeThenDeliver(StoredMessage message, Reply reply) {
    storeThenDeliver(message, reply, null);
  }

  /** As above, not offering it again on {@code sentOn}, the connection that already has it. */
  private void storeThenDeliver(StoredMessage message, Reply reply, Recipient sentOn) {
    order.storing(message, sentOn);
    writes.submit(
        new RelayWrite.Store(message),
        outcome -> {
          try {
            answerStore(message, outcome, reply, sentOn);
          } finally {
            order.stored(message, sentOn);
          }
        });
  }

  /**
   * Stores every copy of {@code send} in one write, answers the sender once that committed, and
   * offers each copy to its device (here or on another node). Later single copies to the same
   * devices wait for it as above.
   */
  private void storeAllThenDeliver(RelayWrite.StoreSend send, Reply reply) {
    send.copies().forEach(copy -> order.storing(copy, null));
    writes.submit(
        send,
        outcome -> {
          try {
            answerStoreSend(send, outcome, reply);
          } finally {
            send.copies().forEach(copy -> order.stored(copy, null));
          }
        });
  }

  private void answerStoreSend(
      RelayWrite.StoreSend send, MessageRepository.Outcome outcome, Reply reply) {
    List<StoredMessage> copies = send.copies();
    String id = copies.get(0).id();
    switch (outcome) {
      case STORED -> {
        metrics.accepted();
        reply.answer(new WireMessage.Accepted(id));
        for (StoredMessage copy : copies) {
          if (!connections.deliverHere(copy)) {
            otherNodes.deliver(copy);
          }
        }
      }
      case QUEUE_FULL ->
          reply.answer(
              new WireMessage.Error(
                  id,
                  ErrorCodes.QUEUE_FULL,
                  "a device's queue is full; try again later",
                  named(send.full())));
      case SENDER_SHARE_FULL ->
          reply.answer(
              new WireMessage.Error(
                  id,
                  ErrorCodes.SENDER_SHARE_FULL,
                  "your share of a device's queue is used up; try again once it has read",
                  named(send.full())));
      default -> answerStore(copies.get(0), outcome, reply, null);
    }
  }

  /**
   * {@code devices} as an error's {@code devices}: per user, in the order of first mention, its
   * current serial and the ids named; null if there are none.
   */
  private List<UserDevices> named(List<DeviceAddress> devices) {
    Map<String, SortedSet<Integer>> byUser = new LinkedHashMap<>();
    for (DeviceAddress device : devices) {
      byUser.computeIfAbsent(device.username(), user -> new TreeSet<>()).add(device.deviceId());
    }
    List<UserDevices> named = new ArrayList<>();
    byUser.forEach(
        (user, ids) ->
            named.add(
                new UserDevices(
                    user,
                    deviceSets.current(user).map(UserDevices::serial).orElse(0L),
                    List.copyOf(ids))));
    return named.isEmpty() ? null : named;
  }

  private void answerStore(
      StoredMessage message, MessageRepository.Outcome outcome, Reply reply, Recipient sentOn) {
    String id = message.id();
    switch (outcome) {
      case STORED -> {
        metrics.accepted();
        reply.answer(new WireMessage.Accepted(id));
        if (!connections.deliverHereUnlessSentOn(message, sentOn)) {
          otherNodes.deliver(message);
        }
      }
      case DUPLICATE -> reply.answer(new WireMessage.Accepted(id));
      case ID_REUSED ->
          reply.answer(
              error(
                  id,
                  ErrorCodes.ID_REUSED,
                  "this id names another message of yours that the server still holds; use a fresh id"));
      case QUEUE_FULL ->
          reply.answer(
              error(id, ErrorCodes.QUEUE_FULL, "the recipient's queue is full; try again later"));
      case SENDER_SHARE_FULL ->
          reply.answer(
              error(
                  id,
                  ErrorCodes.SENDER_SHARE_FULL,
                  "your share of the recipient's queue is used up; try again once the recipient has read"));
      case SENDER_QUOTA_FULL ->
          reply.answer(
              error(
                  id,
                  ErrorCodes.SENDER_QUOTA_FULL,
                  "you have as many undelivered messages as the server holds for one sender; try again later"));
      default ->
          reply.answer(
              error(id, ErrorCodes.UNAVAILABLE, "the message could not be stored; send it again"));
    }
  }

  /**
   * Handles {@code ack} from the device {@code recipient}: deletes the envelope of its copy and,
   * once that committed, tells the sending device. An ack that names no undelivered copy of this
   * recipient device changes nothing. Before relay message version 4 an {@code ack} names the
   * sending user, and only device 1 sends. {@code copy} is what the acknowledging connection had
   * sent under (sender, id). Only the ack of a copy sent on the fast path can settle a fast-path
   * window without a write; any other ack ends an open window for the message first (its store is
   * submitted before this ack, as for a late ack), since the message is, or may be, stored as well.
   */
  public void acknowledge(
      DeviceAddress recipient, DeviceAddress sender, String id, SentCopies.Copy copy) {
    if (copy.beforeStore() && fastPath.acknowledge(recipient, sender, id)) {
      return;
    }
    fastPath.endWindow(recipient, sender, id);
    writes.submit(
        new RelayWrite.Acknowledge(recipient, sender, id, clock.millis(), copy.envelopeBytes()),
        outcome -> {
          if (outcome == MessageRepository.Outcome.APPLIED && !recipient.sameAccount(sender)) {
            metrics.delivered();
            Receipt receipt = new Receipt(id, recipient.username(), recipient.deviceId());
            if (!connections.receiptHere(sender, receipt)) {
              otherNodes.receipt(sender, receipt);
            }
          }
        });
  }

  /**
   * Handles {@code receiptAck}: the sending device saw the receipt, so the message is forgotten (if
   * there is one).
   */
  public void receiptSeen(DeviceAddress sender, WireMessage.ReceiptAck receiptAck) {
    RelayWrite.ForgetReceipt forget =
        receiptAck.device() == 0
            ? new RelayWrite.ForgetReceipt(sender, receiptAck.id())
            : new RelayWrite.ForgetReceipt(
                sender, receiptAck.id(), new DeviceAddress(receiptAck.to(), receiptAck.device()));
    writes.submit(forget, outcome -> {});
  }

  /**
   * A device list removed devices (on this node, after its commit): their queues and the receipts
   * owed to them are deleted, as nothing can fetch them any more (their tokens are gone and device
   * ids are never reused). A copy stored for such a device by a send that raced the removal stays
   * until its time to live ends, and so does everything if the deletion fails: the removal itself
   * was committed, so its request and the other observers (closing the connections) must not fail
   * with it.
   */
  void forgetRemoved(@Observes DevicesRemoved removal) {
    try {
      messages.forgetDevices(removal.username(), removal.deviceIds());
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "Could not delete the queues of removed devices (they expire): "
              + e.getClass().getName());
    }
  }

  /** Runs {@code then} after every write submitted so far was answered (for {@code pong}). */
  public void afterPending(Runnable then) {
    writes.afterPending(then);
  }

  /**
   * Up to {@code limit} undelivered messages in the device {@code recipient}'s queue after {@code
   * afterSeq}, oldest first.
   */
  public List<StoredMessage> queued(DeviceAddress recipient, long afterSeq, int limit) {
    return messages.pending(recipient, afterSeq, limit);
  }

  /** The receipts owed to the device {@code sender} (at most one queue's worth), oldest first. */
  public List<Receipt> receiptsOwed(DeviceAddress sender) {
    return messages.receipts(sender, settings.maxQueue());
  }

  private static WireMessage.Error error(String id, String code, String message) {
    return new WireMessage.Error(id, code, message);
  }
}
