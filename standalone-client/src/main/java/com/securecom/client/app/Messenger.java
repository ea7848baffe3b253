package com.securecom.client.app;

import com.securecom.client.net.KeyDirectory;
import com.securecom.client.net.RelayConnection;
import com.securecom.client.net.RelayLink;
import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.devices.DeviceTrust;
import com.securecom.protocol.groups.GroupId;
import com.securecom.protocol.groups.GroupState;
import com.securecom.protocol.wire.WireMessage;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * End-to-end messaging over the relay for one profile (docs/protocol.md, "Peer protocol"): the
 * relay connection, with what arrives on it handed to the {@link Inbox} (deliveries), the {@link
 * Outbox} (the server's answers about sent messages) and the {@link PreKeyMaintenance} (prekey
 * notices). The pin rules are in {@link PeerTrust} and {@link IdentityStore}.
 *
 * <p>Every state change is saved before it is acted on, so a crash never rolls a ratchet back; an
 * envelope encrypted but not accepted is resent (same id, so the server stores it once) on the next
 * connection.
 *
 * <p>Security guarantee: nothing is ever encrypted to, and no text is shown as coming from, an
 * identity other than the pinned one, except texts under a pending identity, which are shown marked
 * as unconfirmed. A pin changes only on first use or by the user; a message that fails to
 * authenticate changes nothing.
 */
public final class Messenger implements RelayConnection.Listener, AutoCloseable {
  private final RelayLink.Connector connector;
  private final Vault vault;
  private final Clock clock;
  private final MessengerEvents events;
  private final Timings timings = new Timings();
  private final PreKeyMaintenance preKeys;
  private final Outbox outbox;
  private final Inbox inbox;
  private final ReceiptBatcher receipts;
  private final DeviceLists devices;
  private final GroupOutbox groups;
  private final SecureRandom random;
  private volatile RelayLink connection;

  /**
   * The connection, for the listener's callbacks: they can run before {@link
   * RelayLink.Connector#open} returns. A new one for each {@link #connect}.
   */
  private volatile CompletableFuture<RelayLink> opened = new CompletableFuture<>();

  private final Dispatch dispatch = new Dispatch();
  private volatile boolean receiving = true;
  private volatile boolean connected;

  /** If set, only deliveries from users it accepts are handled; the others stay on the server. */
  private volatile Predicate<String> onlyFrom;

  public Messenger(
      Vault vault,
      KeyDirectory keys,
      RelayLink.Connector connector,
      SecureRandom random,
      Clock clock,
      MessengerEvents events) {
    this(vault, keys, connector, random, clock, events, ReceiptBatcher.WAIT);
  }

  /**
   * As above; end-to-end receipts wait up to {@code receiptWait} for others to the same peer
   * ({@link ReceiptBatcher}; zero: each goes at once, for tests that step a fake server).
   */
  Messenger(
      Vault vault,
      KeyDirectory keys,
      RelayLink.Connector connector,
      SecureRandom random,
      Clock clock,
      MessengerEvents events,
      Duration receiptWait) {
    this.connector = connector;
    this.vault = vault;
    this.clock = clock;
    this.events = events;
    PeerTrust trust = new PeerTrust(vault.data(), vault.info().username(), random);
    this.preKeys = new PreKeyMaintenance(vault, keys, random, clock);
    this.devices = new DeviceLists(vault.data(), trust, keys, events::warning);
    Messaging with =
        new Messaging(vault, trust, this.devices, keys, random, clock, events, timings);
    this.outbox = new Outbox(with, this::relay);
    this.random = random;
    this.groups = new GroupOutbox(with, outbox);
    outbox.onGroupUpdateAccepted(groups::applyOwn);
    this.receipts = new ReceiptBatcher(outbox::sendReceipt, receiptWait);
    this.inbox = new Inbox(with, outbox, this::relay, receipts);
  }

  /**
   * Leaves incoming messages on the server (not decrypted, not acknowledged) for a later {@code
   * receive} or {@code chat}: for a run that only sends, so nothing arrives unseen.
   */
  public Messenger leaveIncomingQueued() {
    receiving = false;
    return this;
  }

  /**
   * Handles only what {@code peer} sends (a chat with them): everything else stays on the server,
   * not decrypted, not acknowledged, for a later {@code receive} or a chat with its sender, and
   * {@link MessengerEvents#leftQueued} says who it came from.
   */
  public Messenger receiveOnlyFrom(String peer) {
    onlyFrom = peer::equals;
    return this;
  }

  /**
   * {@link #receiveOnlyFrom} the members of group {@code id} (a chat in the group), as the group is
   * when each message arrives: a member added meanwhile is heard, one removed is not.
   */
  public Messenger receiveOnlyFromMembersOf(GroupId id) {
    onlyFrom =
        user ->
            Groups.list(vault).stream()
                .anyMatch(g -> g.state().id().equals(id) && g.state().members().contains(user));
    return this;
  }

  /**
   * Paces sends to the relay's frame rate limit {@code limit} (default {@link
   * SendPacing#RELAY_DEFAULT}, the server's default); {@link SendPacing#NONE} for a relay without
   * one.
   */
  public Messenger paceSends(SendPacing limit) {
    outbox.pace(limit);
    return this;
  }

  /** Also sends a {@code read} receipt for every text shown (off unless the user turned it on). */
  public Messenger sendReadReceipts(boolean on) {
    inbox.sendReadReceipts(on);
    return this;
  }

  /**
   * Durations of the last key exchange, encryption, decryption and handshake (for {@code
   * --verbose}).
   */
  public Timings timings() {
    return timings;
  }

  /**
   * Opens the relay connection; queued messages start arriving at once. Resends the outbox, tops up
   * prekeys. May be called again once the connection ended (to reconnect): what was not accepted is
   * resent with its id, so the server stores it once.
   */
  public synchronized void connect() throws ChannelException {
    String token = vault.token(clock.instant());
    if (opened.isDone()) {
      opened = new CompletableFuture<>();
    }
    CompletableFuture<RelayLink> thisOne = opened;
    try {
      connection = connector.open(token, this);
    } catch (RuntimeException | ChannelException failed) {
      thisOne.completeExceptionally(
          failed); // a send meanwhile fails (its text stays queued) instead of waiting
      throw failed;
    }
    if (connection.device() != vault.data().deviceId) {
      connection.close();
      UntrustedServerException wrong =
          new UntrustedServerException(
              "the server authenticated this profile as device "
                  + connection.device()
                  + ", not as device "
                  + vault.data().deviceId
                  + " of "
                  + ownName());
      thisOne.completeExceptionally(wrong);
      throw wrong;
    }
    thisOne.complete(connection);
    connected = true;
    events.connected();
    timings.handshake = connection.handshakeTime();
    checkOwnDevices();
    outbox.resendPending();
    preKeys.run(token);
  }

  private String ownName() {
    return vault.info().username();
  }

  /**
   * Fetches and verifies this account's device list (on every connection, as {@code devicesChanged}
   * may be lost with a node, and after each {@code devicesChanged}): texts then go as transcripts
   * to exactly the devices it lists. If this device is no longer listed, the user is told (the
   * server ends its sessions). A list that cannot be fetched now leaves the pin.
   */
  private void checkOwnDevices() {
    synchronized (vault) {
      try {
        if (devices.refreshOwn(vault.token(clock.instant()), ownName())
            instanceof DeviceTrust.Accepted) {
          vault.save();
        }
      } catch (RuntimeException unanswered) {
        if (!KeyDirectory.isTransient(unanswered)
            && !(unanswered instanceof NotLoggedInException)) {
          events.warning(
              "your account's device list could not be checked: " + unanswered.getMessage());
        }
        return;
      }
      if (!devices.pinned(ownName()).ids().contains(vault.data().deviceId)) {
        events.warning(
            "this device (device "
                + vault.data().deviceId
                + ") was removed from your account "
                + ownName()
                + " by another of its devices");
      }
    }
  }

  /** True from a successful {@link #connect} until that connection ends. */
  public boolean isConnected() {
    return connected;
  }

  /**
   * Waits until everything the server had queued for this user has been handled (see
   * RelayLink#sync).
   */
  public void sync() throws ChannelException {
    receipts.flush();
    connection.sync();
    receipts.flush(); // what the backlog brought: sent before a caller waits for its outbox
  }

  /**
   * Waits (up to {@code wait}) until the server accepted everything this run sent, receipts
   * included, so that a short run does not leave its receipts for the next connection.
   */
  public void awaitOutbox(Duration wait) {
    outbox.awaitAccepted(wait);
  }

  /**
   * Encrypts {@code text} for {@code peer} and hands it to the relay; returns once the server
   * stored it.
   *
   * @return the message id
   * @throws IllegalArgumentException if the text is empty or longer than {@link
   *     com.securecom.client.e2e.MessagePayload#MAX_BODY_BYTES}
   * @throws UntrustedIdentityException if a new identity of the peer is pending, or the registry
   *     offers keys that are not the pinned identity and there is no session with it
   * @throws MessageRejectedException if the relay refused it (unknown recipient, queue full, ...)
   */
  public String send(String peer, String text) {
    return outbox.send(peer, text);
  }

  /**
   * {@link #send} for several texts to {@code peer}, with one durable save for all of them: for a
   * script that pipes many lines. Throws what {@link #send} throws before anything is encrypted;
   * after that, each text's outcome says whether the server accepted it.
   */
  public List<Outcome> sendAll(String peer, List<String> texts) {
    return outbox.sendAll(peer, texts);
  }

  /**
   * {@link #sendAll} without waiting for the server's answers: the texts are encrypted, saved with
   * one durable write and handed to the relay when this returns; {@link Submitted#outcomes} waits
   * for the answers. A script piping many lines submits the next lines while the server stores the
   * previous ones, instead of one round trip per batch.
   */
  public Submitted submit(String peer, List<String> texts) {
    return outbox.submit(peer, texts);
  }

  /**
   * Creates group {@code name} with {@code members} (and this user, its creator) and sends it to
   * them; returns once the server stored it for all (it then applies here too).
   *
   * @throws IllegalArgumentException if the name or a username does not follow its rule
   * @throws UntrustedIdentityException as for {@link #send}, for any member
   * @throws MessageRejectedException if the relay refused it
   * @throws QueuedException if it stays in the outbox (the server was not reached)
   */
  public GroupState createGroup(String name, Collection<String> members) {
    GroupState created = GroupState.create(GroupId.random(random), name, ownName(), members);
    change(created);
    return created;
  }

  /**
   * Adds {@code users} to group {@code id} (as the creator or an admin); see {@link #createGroup}.
   */
  public void addMembers(GroupId id, Collection<String> users) {
    change(groups.member(id).state().withAdded(users));
  }

  /**
   * Removes {@code users} from group {@code id}: they get this update, and nothing after it; see
   * {@link #createGroup}.
   */
  public void removeMembers(GroupId id, Collection<String> users) {
    change(groups.member(id).state().withRemoved(users));
  }

  /** Renames group {@code id}; see {@link #createGroup}. */
  public void rename(GroupId id, String name) {
    change(groups.member(id).state().withName(name));
  }

  /**
   * Makes {@code admins} (members of group {@code id}; none: no admins) exactly the group's admins,
   * as its creator: only the creator names and removes admins; see {@link #createGroup}.
   */
  public void setAdmins(GroupId id, Collection<String> admins) {
    change(groups.member(id).state().withAdmins(admins));
  }

  /** Leaves group {@code id}; see {@link #createGroup}. */
  public void leave(GroupId id) {
    change(groups.member(id).state().leftBy(ownName()));
  }

  /**
   * Sends {@code texts} to group {@code id} as {@link #submit} does to a user: one relay message
   * each, with a copy for every device of every other member and this account's other devices.
   *
   * @throws IllegalArgumentException if this user is not in the group or nobody else is
   */
  public Submitted sendToGroup(GroupId id, List<String> texts) {
    return groups.send(id, texts);
  }

  /** Group sending, for tests that play a member breaking the rules. */
  GroupOutbox groupOutbox() {
    return groups;
  }

  private void change(GroupState proposed) {
    Outcome outcome = groups.update(proposed);
    if (outcome.failure() != null) {
      throw outcome.failure();
    }
  }

  /** Texts handed to the relay by {@link #submit}. */
  public interface Submitted {
    /** True once the server answered every text (so {@link #outcomes} does not wait). */
    boolean answered();

    /** Waits for the server's answers; one outcome per text, in order. */
    List<Outcome> outcomes();
  }

  /**
   * What became of one text of {@link #sendAll}: its id, how long its encryption took (the ratchet
   * step and the envelope), and null if the server stored it, else the {@link QueuedException} or
   * {@link MessageRejectedException} that {@link #send} would have thrown.
   */
  public record Outcome(String id, Duration encrypt, RuntimeException failure) {}

  /**
   * Server messages go to the job they concern; anything else a (hostile) server sends is ignored.
   */
  @Override
  public void onMessage(WireMessage message) {
    if (message instanceof WireMessage.ServerMessage fromServer) {
      fromServer.accept(dispatch);
    }
  }

  /** Which job handles which server message; the compiler sees that none is forgotten. */
  private final class Dispatch implements WireMessage.ServerMessage.Visitor<RuntimeException> {
    @Override
    public void deliver(WireMessage.Deliver deliver) {
      Predicate<String> only = onlyFrom;
      if (receiving
          && (only == null || only.test(deliver.from()) || deliver.from().equals(ownName()))) {
        inbox.deliver(deliver);
      } else if (receiving) {
        events.leftQueued(deliver.from());
      }
    }

    @Override
    public void accepted(WireMessage.Accepted accepted) {
      outbox.accepted(accepted);
    }

    @Override
    public void error(WireMessage.Error error) {
      outbox.refused(error);
    }

    @Override
    public void delivered(WireMessage.Delivered delivered) {
      outbox.reached(delivered);
    }

    @Override
    public void relayed(WireMessage.Relayed relayed) {
      outbox.relayed(relayed);
    }

    @Override
    public void preKeysLow(WireMessage.PreKeysLow low) {
      preKeys.runInBackground(events::warning);
    }

    @Override
    public void ready(WireMessage.Ready ready) {
      // the connection handles the first; a second one changes nothing
    }

    @Override
    public void pong(WireMessage.Pong pong) {
      // answered to the connection's own pings
    }

    @Override
    public void caughtUp(WireMessage.CaughtUp caughtUp) {
      // the connection reports the end of the backlog itself
    }

    @Override
    public void devicesChanged(WireMessage.DevicesChanged changed) {
      checkOwnDevices(); // its serial is only a hint: the verified list decides
    }
  }

  /** Sends on the connection, also from the listener's callbacks (see {@link #opened}). */
  private void relay(WireMessage message) {
    opened.join().send(message);
  }

  @Override
  public void onClose(int code, String reason) {
    connected = false;
    outbox.connectionClosed(code);
    events.disconnected(code, reason);
  }

  /** Waits until the server or the network closes the connection; returns the close code. */
  public int awaitDisconnect() throws InterruptedException {
    return connection.awaitCloseCode();
  }

  @Override
  public void close() {
    receipts.close(); // into the outbox (and onto the connection while it is open)
    outbox.close();
    if (connection != null) {
      connection.close();
    }
  }

  /** The last measured durations; null where nothing was measured yet. */
  public static final class Timings {
    public volatile Duration handshake;
    public volatile Duration keyExchange;
    public volatile Duration encrypt;

    /** The last durable save of sent messages (one journal record, or the whole profile). */
    public volatile Duration save;

    public volatile Duration decrypt;
  }
}
