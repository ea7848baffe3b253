package com.securecom.client.app;

import com.securecom.client.e2e.DuplicateMessageException;
import com.securecom.client.e2e.LateMessageException;
import com.securecom.client.e2e.LocalUser;
import com.securecom.client.e2e.MessagePayload;
import com.securecom.client.e2e.PeerIdentity;
import com.securecom.client.e2e.PreKeyBundle;
import com.securecom.client.e2e.PreKeyHeader;
import com.securecom.client.e2e.Session;
import com.securecom.client.e2e.SessionRecord;
import com.securecom.client.e2e.UntrustedBundleException;
import com.securecom.client.net.KeyDirectory;
import com.securecom.client.net.RelayConnection;
import com.securecom.client.net.RelayLink;
import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.wire.WireMessage;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * End-to-end messaging over the relay for one profile (docs/protocol.md, "Peer protocol").
 *
 * <p>Sending: the peer's pinned identity must be settled ({@link PeerTrust}); encrypt on the newest session with
 * that identity (or start one from a bundle whose identity is the pin), save the ratchet and the outbox entry, then
 * send and wait for {@code accepted}. Receiving: decrypt, decide which identity the message authenticated under,
 * save the ratchet and the id, then show, acknowledge and answer with an end-to-end receipt. Every state change is
 * saved before it is acted on, so a crash never rolls a ratchet back; an envelope encrypted but not accepted is
 * resent (same id, so the server stores it once) on the next connection.
 *
 * <p>Security guarantee: nothing is ever encrypted to, and no text is shown as coming from, an identity other than
 * the pinned one, except texts under a pending identity, which are shown marked as unconfirmed. A pin changes only
 * on first use or by the user; a message that fails to authenticate changes nothing.
 */
public final class Messenger implements RelayConnection.Listener, AutoCloseable {
  private static final Duration ACCEPT_WAIT = Duration.ofSeconds(30);

  private final Vault vault;
  private final KeyDirectory keys;
  private final RelayLink.Connector connector;
  private final SecureRandom random;
  private final Clock clock;
  private final MessengerEvents events;
  private final Set<String> registryCheckedThisRun = new HashSet<>();
  private final Map<String, CompletableFuture<WireMessage>> awaitingAccept = new ConcurrentHashMap<>();
  private final Timings timings = new Timings();
  private volatile RelayLink connection;
  /** The connection, for the listener's callbacks: they can run before {@link RelayLink.Connector#open} returns. */
  private final CompletableFuture<RelayLink> opened = new CompletableFuture<>();
  private volatile boolean receiving = true;
  private volatile boolean readReceipts;
  private final java.util.concurrent.atomic.AtomicBoolean topUpRunning =
      new java.util.concurrent.atomic.AtomicBoolean();

  public Messenger(Vault vault, KeyDirectory keys, RelayLink.Connector connector, SecureRandom random, Clock clock,
      MessengerEvents events) {
    this.vault = vault;
    this.keys = keys;
    this.connector = connector;
    this.random = random;
    this.clock = clock;
    this.events = events;
  }

  /**
   * Leaves incoming messages on the server (not decrypted, not acknowledged) for a later {@code receive} or
   * {@code chat}: for a run that only sends, so nothing arrives unseen.
   */
  public Messenger leaveIncomingQueued() {
    receiving = false;
    return this;
  }

  /** Also sends a {@code read} receipt for every text shown (off unless the user turned it on). */
  public Messenger sendReadReceipts(boolean on) {
    readReceipts = on;
    return this;
  }

  /** Durations of the last key exchange, encryption, decryption and handshake (for {@code --verbose}). */
  public Timings timings() {
    return timings;
  }

  private ProfileData data() {
    return vault.data();
  }

  private PeerTrust trust() {
    return new PeerTrust(data(), random);
  }

  private String token() {
    synchronized (vault) {
      if (!data().hasValidToken(clock.instant())) {
        throw new NotLoggedInException(data().token == null ? "not logged in" : "the session expired");
      }
      return data().token;
    }
  }

  /** Opens the relay connection; queued messages start arriving at once. Resends the outbox, tops up prekeys. */
  public void connect() throws ChannelException {
    String token = token();
    connection = connector.open(token, this);
    opened.complete(connection);
    timings.handshake = connection.handshakeTime();
    synchronized (vault) {
      for (ProfileData.Outgoing pending : data().outbox.values()) {
        awaitingAccept.computeIfAbsent(pending.id(), id -> new CompletableFuture<>());
        connection.send(new WireMessage.Send(pending.id(), pending.to(), pending.envelope()));
      }
    }
    new PreKeyMaintenance(vault, keys, random, clock).run(token);
  }

  /** Waits until everything the server had queued for this user has been handled (see RelayLink#sync). */
  public void sync() throws ChannelException {
    connection.sync();
  }

  /**
   * Waits (up to {@code wait}) until the server accepted everything this run sent, receipts included, so that a
   * short run does not leave its receipts for the next connection.
   */
  public void awaitOutbox(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    for (CompletableFuture<WireMessage> answer : List.copyOf(awaitingAccept.values())) {
      try {
        answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException | TimeoutException stillInTheOutbox) {
        return; // resent on the next connection
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Encrypts {@code text} for {@code peer} and hands it to the relay; returns once the server stored it.
   *
   * @return the message id
   * @throws IllegalArgumentException if the text is empty or longer than {@link MessagePayload#MAX_BODY_BYTES}
   * @throws UntrustedIdentityException if a new identity of the peer is pending, or the registry offers keys that
   *     are not the pinned identity and there is no session with it
   * @throws MessageRejectedException if the relay refused it (unknown recipient, queue full, ...)
   */
  public String send(String peer, String text) {
    String id = UUID.randomUUID().toString();
    MessagePayload.Text payload = new MessagePayload.Text(id, clock.instant(), text);
    String token = token();
    String envelope;
    synchronized (vault) {
      PeerTrust trust = trust();
      checkRegistryIdentity(token, peer, trust);
      PeerIdentity pin = trust.sendable(peer);
      SessionRecord record = trust.sessions(peer);
      if (record.currentWith(pin).isEmpty()) {
        startSession(token, peer, pin, record);
      }
      long start = System.nanoTime();
      envelope = Bytes.base64(record.encrypt(pin, payload));
      timings.encrypt = Duration.ofNanos(System.nanoTime() - start);
      trust.store(peer, record);
      data().outbox.put(id, new ProfileData.Outgoing(id, peer, envelope));
      data().rememberSent(id, peer);
      vault.save();
    }
    CompletableFuture<WireMessage> answer = new CompletableFuture<>();
    awaitingAccept.put(id, answer);
    connection.send(new WireMessage.Send(id, peer, envelope));
    WireMessage reply = await(answer);
    if (reply instanceof WireMessage.Error error) {
      throw new MessageRejectedException(error.code(), error.message());
    }
    return id;
  }

  private void startSession(String token, String peer, PeerIdentity pin, SessionRecord record) {
    PreKeyBundle bundle = PreKeyBundle.fromRegistryJson(peer, keys.bundle(token, peer));
    if (!bundle.identity().sameKeysAs(pin)) {
      throw UntrustedIdentityException.notPinned(peer);
    }
    if (!bundle.isFresh(clock.instant())) {
      throw UntrustedIdentityException.staleSignedPreKey(peer);
    }
    long start = System.nanoTime();
    try {
      record.initiate(localUser(), bundle);
    } catch (UntrustedBundleException e) {
      throw UntrustedIdentityException.invalid(peer);
    }
    timings.keyExchange = Duration.ofNanos(System.nanoTime() - start);
  }

  /**
   * Asks the registry for {@code peer}'s identity once per run: pins it if there is no pin yet (first use), and
   * warns, changing nothing, if it is not the pinned one.
   */
  private void checkRegistryIdentity(String token, String peer, PeerTrust trust) {
    if (!registryCheckedThisRun.add(peer)) {
      return;
    }
    PeerIdentity published = Identities.published(keys, token, peer);
    Contact contact = trust.contact(peer).orElse(null);
    if (contact == null) {
      trust.pinIfNew(published);
      vault.save();
    } else if (!contact.matches(published) && (contact.pending() == null || !contact.pending().sameKeysAs(published))) {
      events.warning("The server now publishes a different identity key for " + peer + " than the one you pinned."
          + " Your messages still go only to the pinned key. A changed key means " + peer + " registered again (a"
          + " new installation) or the server is misbehaving; if " + peer + " reinstalled, ask them to message you.");
    }
  }

  private WireMessage await(CompletableFuture<WireMessage> answer) {
    try {
      return answer.get(ACCEPT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the connection ended before the server accepted the message"
          + " (it stays in the outbox and is resent on the next connection)", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the server did not accept the message in time"
          + " (it stays in the outbox and is resent on the next connection)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  @Override
  public void onMessage(WireMessage message) {
    if (message instanceof WireMessage.Deliver deliver) {
      if (receiving) {
        receive(deliver);
      }
    } else if (message instanceof WireMessage.Accepted accepted) {
      settle(accepted.id(), SentState.SENT, false);
      complete(accepted.id(), accepted);
    } else if (message instanceof WireMessage.Error error) {
      if (error.id() != null) {
        settle(error.id(), null, true);
      }
      if (error.id() == null || !complete(error.id(), error)) {
        events.warning("the server refused a message: " + error.message());
      }
    } else if (message instanceof WireMessage.Delivered delivered) {
      settle(delivered.id(), SentState.REACHED, false);
      reply(new WireMessage.ReceiptAck(delivered.id()));
    } else if (message instanceof WireMessage.PreKeysLow) {
      topUpPreKeys();
    }
  }

  /**
   * The server says our one-time prekey pool runs low (someone fetched our bundle): top it up now, on a thread of
   * its own (the REST calls must not hold up the channel's reader), once at a time; notices that arrive meanwhile
   * are covered by the run under way, which reads the pool's count first.
   */
  private void topUpPreKeys() {
    if (!topUpRunning.compareAndSet(false, true)) {
      return;
    }
    Thread worker = new Thread(() -> {
      try {
        new PreKeyMaintenance(vault, keys, random, clock).run(token());
      } catch (RuntimeException e) {
        events.warning("could not top up one-time prekeys: " + e.getMessage());
      } finally {
        topUpRunning.set(false);
      }
    }, "securecom-prekey-top-up");
    worker.setDaemon(true);
    worker.start();
  }

  /** The server answered about message {@code id}: it leaves the outbox, and a text moves to {@code state}. */
  private void settle(String id, SentState state, boolean refused) {
    ProfileData.Sent moved = null;
    synchronized (vault) {
      boolean changed = data().outbox.remove(id) != null;
      ProfileData.Sent sent = data().sent.get(id);
      if (sent != null && refused) {
        data().sent.remove(id);
        changed = true;
      } else if (sent != null && sent.state().advancedTo(state) != sent.state()) {
        moved = new ProfileData.Sent(sent.to(), sent.state().advancedTo(state));
        data().sent.put(id, moved);
        changed = true;
      }
      if (changed) {
        vault.save();
      }
    }
    if (moved != null) {
      events.sentStateChanged(moved.to(), id, moved.state());
    }
  }

  private boolean complete(String id, WireMessage answer) {
    CompletableFuture<WireMessage> waiting = awaitingAccept.remove(id);
    if (waiting != null) {
      waiting.complete(answer);
      return true;
    }
    return false;
  }

  /** Sends from the connection's thread (see {@link #opened}). */
  private void reply(WireMessage message) {
    opened.join().send(message);
  }

  /** What to do with one {@code deliver}: the table in docs/protocol.md, "Failures and what a client does". */
  private void receive(WireMessage.Deliver deliver) {
    String from = deliver.from();
    Inbound in;
    synchronized (vault) {
      if (data().hasReceived(from, deliver.id())) {
        reply(new WireMessage.Ack(deliver.id(), from));
        return;
      }
      try {
        in = decrypt(deliver);
      } catch (RegistryUnavailableException transientFailure) {
        events.warning("a message from " + from + " could not be checked now (" + transientFailure.getMessage()
            + "); it stays on the server and is delivered again on the next connection");
        return; // not acknowledged, not remembered
      }
      data().rememberReceived(from, deliver.id());
      vault.save();
    }
    switch (in.outcome()) {
      case DUPLICATE -> { }
      case LATE -> {
        events.warning("a message from " + from + " arrived too late to be read (its key had been discarded)");
        notifyUndecryptable(from, deliver.id());
      }
      case FAILED -> {
        events.warning("a message from " + from + " could not be decrypted");
        notifyUndecryptable(from, deliver.id());
      }
      case TEXT -> {
        MessagePayload.Text text = (MessagePayload.Text) in.payload();
        boolean unconfirmed = in.origin() != PeerTrust.Origin.PINNED;
        events.received(from, deliver.id(), text.body(), text.sentAt(), unconfirmed);
      }
      case RECEIPT -> {
        if (in.origin() == PeerTrust.Origin.PINNED) {
          applyReceipt(from, (MessagePayload.Receipt) in.payload());
        }
      }
      default -> throw new IllegalStateException();
    }
    reply(new WireMessage.Ack(deliver.id(), from));
    if (in.outcome() == Inbound.Outcome.TEXT && in.origin() == PeerTrust.Origin.PINNED) {
      sendReceipt(from, MessagePayload.Kind.DELIVERED, deliver.id());
      if (readReceipts) {
        sendReceipt(from, MessagePayload.Kind.READ, deliver.id());
      }
    }
  }

  /** Decrypts a delivery and saves what it changed; the caller holds the vault's lock. */
  private Inbound decrypt(WireMessage.Deliver deliver) {
    String from = deliver.from();
    PeerTrust trust = trust();
    Contact contact = trust.contact(from).orElse(null);
    PeerIdentity pin = contact == null ? null : contact.identity();
    PeerIdentity pending = contact == null ? null : contact.pending();
    SessionRecord record = trust.sessions(from);
    PeerIdentity[] newSessionIdentity = new PeerIdentity[1];
    SessionRecord.Decrypted decrypted;
    long start = System.nanoTime();
    try {
      byte[] envelope = Bytes.fromBase64(deliver.envelope());
      decrypted = record.decrypt(envelope, deliver.id(), localUser(), header -> {
        newSessionIdentity[0] = senderIdentity(from, header, pin, pending);
        return newSessionIdentity[0];
      }, pin);
    } catch (DuplicateMessageException duplicate) {
      return Inbound.of(Inbound.Outcome.DUPLICATE);
    } catch (LateMessageException late) {
      return Inbound.of(Inbound.Outcome.LATE);
    } catch (DecryptionFailedException | IllegalArgumentException e) {
      return Inbound.of(Inbound.Outcome.FAILED);
    }
    timings.decrypt = Duration.ofNanos(System.nanoTime() - start);
    Session session = decrypted.session();
    PeerIdentity identity = decrypted.newSession() ? newSessionIdentity[0]
        : pin != null && session.isWith(pin) ? pin
        : pending != null && session.isWith(pending) ? pending : null;
    if (identity == null) {
      return Inbound.of(Inbound.Outcome.FAILED); // cannot happen: other identities' sessions were deleted on load
    }
    PeerTrust.Origin origin = trust.authenticated(from, identity, record);
    trust.store(from, record);
    if (origin == PeerTrust.Origin.NEW_PENDING) {
      Contact now = trust.contact(from).orElseThrow();
      events.warning("WARNING: a message from " + from + " came from a NEW identity key, not the one you pinned."
          + " A changed key means " + from + " registered again (a new installation) or the server is misbehaving."
          + " Sending to " + from + " is blocked until you compare the new safety number ('securecom fingerprint "
          + from + "') and run 'securecom verify " + from + "'"
          + (now.verified() ? "." : ", or accept it unverified with 'securecom accept " + from + "'."));
    }
    data().undecryptableNoticeSent.remove(from); // a message from them decrypted: one notice is allowed again
    return new Inbound(decrypted.payload() instanceof MessagePayload.Text ? Inbound.Outcome.TEXT
        : Inbound.Outcome.RECEIPT, decrypted.payload(), origin);
  }

  /**
   * The identity of a peer whose PreKey message starts a new session: the pinned or pending one if the header
   * carries its keys (no registry call), else the registry's.
   *
   * @throws RegistryUnavailableException if the registry cannot answer now (the message is then left queued)
   * @throws DecryptionFailedException if the registry has no such user or its answer does not verify
   */
  private PeerIdentity senderIdentity(String from, PreKeyHeader header, PeerIdentity pin, PeerIdentity pending)
      throws DecryptionFailedException {
    for (PeerIdentity known : new PeerIdentity[] {pin, pending}) {
      if (known != null && MessageDigest.isEqual(known.identityKey(), header.identityKey())
          && MessageDigest.isEqual(known.identityDhKey(), header.identityDhKey())) {
        return known;
      }
    }
    try {
      return Identities.published(keys, token(), from);
    } catch (NotLoggedInException e) {
      throw new RegistryUnavailableException(from);
    } catch (RuntimeException e) {
      if (KeyDirectory.isTransient(e)) {
        throw new RegistryUnavailableException(from);
      }
      throw new DecryptionFailedException();
    }
  }

  /** Moves the texts a receipt names forward, if they were sent to {@code from}. */
  private void applyReceipt(String from, MessagePayload.Receipt receipt) {
    SentState reported = switch (receipt.kind()) {
      case DELIVERED -> SentState.DELIVERED;
      case READ -> SentState.READ;
      case UNDECRYPTABLE -> SentState.UNDECRYPTABLE;
    };
    for (String id : receipt.of()) {
      ProfileData.Sent moved = null;
      synchronized (vault) {
        ProfileData.Sent sent = data().sent.get(id);
        if (sent != null && sent.to().equals(from) && sent.state().advancedTo(reported) != sent.state()) {
          moved = new ProfileData.Sent(from, sent.state().advancedTo(reported));
          data().sent.put(id, moved);
          vault.save();
        }
      }
      if (moved != null) {
        events.sentStateChanged(from, id, moved.state());
        if (moved.state() == SentState.UNDECRYPTABLE) {
          events.warning(from + "'s client could not decrypt your message " + id);
        }
      }
    }
  }

  /** At most one "undecryptable" receipt per peer until a message from them decrypts again. */
  private void notifyUndecryptable(String from, String id) {
    synchronized (vault) {
      if (data().undecryptableNoticeSent.contains(from)) {
        return;
      }
    }
    if (sendReceipt(from, MessagePayload.Kind.UNDECRYPTABLE, id)) {
      synchronized (vault) {
        data().undecryptableNoticeSent.add(from);
        vault.save();
      }
    }
  }

  /**
   * Sends a receipt on the newest session with the pinned identity, without waiting for {@code accepted} (it stays
   * in the outbox until then). Sends nothing, and returns false, if there is no such session or an identity is
   * pending.
   */
  private boolean sendReceipt(String peer, MessagePayload.Kind kind, String about) {
    String id = UUID.randomUUID().toString();
    String envelope;
    synchronized (vault) {
      PeerTrust trust = trust();
      Contact contact = trust.contact(peer).orElse(null);
      if (contact == null || contact.pending() != null) {
        return false;
      }
      SessionRecord record = trust.sessions(peer);
      Session session = record.currentWith(contact.identity()).orElse(null);
      if (session == null || !session.canSend()) {
        return false;
      }
      envelope = Bytes.base64(record.encrypt(contact.identity(),
          new MessagePayload.Receipt(id, clock.instant(), kind, List.of(about))));
      trust.store(peer, record);
      data().outbox.put(id, new ProfileData.Outgoing(id, peer, envelope));
      vault.save();
    }
    awaitingAccept.put(id, new CompletableFuture<>());
    reply(new WireMessage.Send(id, peer, envelope));
    return true;
  }

  private LocalUser localUser() {
    return new LocalUser(vault.info().username(), data().identity, vault, random);
  }

  @Override
  public void onClose(int code, String reason) {
    awaitingAccept.values().forEach(f -> f.completeExceptionally(new IllegalStateException("closed " + code)));
    events.disconnected(code, reason);
  }

  /** Waits until the server or the network closes the connection; returns the close code. */
  public int awaitDisconnect() throws InterruptedException {
    return connection.awaitCloseCode();
  }

  @Override
  public void close() {
    if (connection != null) {
      connection.close();
    }
  }

  /** What one delivery turned out to be. */
  private record Inbound(Outcome outcome, MessagePayload payload, PeerTrust.Origin origin) {
    enum Outcome { DUPLICATE, LATE, FAILED, TEXT, RECEIPT }

    static Inbound of(Outcome outcome) {
      return new Inbound(outcome, null, null);
    }
  }

  /** The last measured durations; null where nothing was measured yet. */
  public static final class Timings {
    public volatile Duration handshake;
    public volatile Duration keyExchange;
    public volatile Duration encrypt;
    public volatile Duration decrypt;
  }
}
