package com.securecom.client.app;

import com.securecom.client.e2e.MessagePayload;
import com.securecom.client.e2e.PeerIdentity;
import com.securecom.client.net.KeyDirectory;
import com.securecom.client.net.ServerUnreachableException;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.devices.Fanout;
import com.securecom.protocol.wire.ErrorCodes;
import com.securecom.protocol.wire.WireMessage;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Sending (docs/protocol.md, "Peer protocol"): texts and receipts are encrypted on the newest
 * session with the pinned identity (or one started from a bundle whose identity is the pin), saved
 * with the outbox entry before they go to the relay, and leave the outbox when the server answers;
 * texts then move along {@link SentState} as the server and the recipient's client report. An
 * envelope encrypted but not accepted is resent, same id, on the next connection. Nothing is ever
 * encrypted to an identity other than the pinned one ({@link PeerTrust}).
 *
 * <p>{@link #send} may be called from any thread; the server's answers arrive on the connection's
 * thread.
 */
final class Outbox {
  private static final Duration ACCEPT_WAIT = Duration.ofSeconds(30);

  /** Refusals that store nothing and may pass later: the message is kept ({@link #keep}). */
  /** The queue limits: their {@code devices} name the full devices ({@link FullMembers}). */
  private static final Set<String> FULL =
      Set.of(ErrorCodes.QUEUE_FULL, ErrorCodes.SENDER_SHARE_FULL);

  private static final Set<String> KEPT =
      Set.of(
          ErrorCodes.QUEUE_FULL,
          ErrorCodes.SENDER_SHARE_FULL,
          ErrorCodes.SENDER_QUOTA_FULL,
          ErrorCodes.UNAVAILABLE);

  private final Vault vault;
  private final PeerTrust trust;
  private final KeyDirectory keys;
  private final SecureRandom random;
  private final Clock clock;
  private final MessengerEvents events;
  private final Messenger.Timings timings;
  private final Consumer<WireMessage> relay;
  private final DeviceLists lists;
  private final CopyMaker copies;
  private final Set<String> registryCheckedThisRun = new HashSet<>();
  private final Set<String> listCheckedThisRun = new HashSet<>();

  /** Sends rebuilt once after {@code stale_devices}: a second refusal is final. */
  private final Set<String> staleRetried = ConcurrentHashMap.newKeySet();

  /** Rebuilds sends after {@code stale_devices} off the connection's thread (registry calls). */
  private final ExecutorService retries =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "securecom-resend");
            t.setDaemon(true);
            return t;
          });

  private final Map<String, CompletableFuture<WireMessage>> awaitingAccept =
      new ConcurrentHashMap<>();
  private volatile SendPacing limit = SendPacing.RELAY_DEFAULT;
  private volatile Consumer<MessagePayload.GroupUpdate> updateAccepted = update -> {};

  /**
   * Held while texts are handed to the relay (paced, so possibly for seconds; never by the
   * connection's thread): the outbox's resend on a new connection goes out before texts written
   * after it, as when the resend held the vault's lock.
   */
  private final Object handingOver = new Object();

  private volatile SendPacing.Bucket pacing = limit.bucket(System::nanoTime);

  /** {@code relay} sends one message on the open connection, from any thread. */
  Outbox(Messaging with, Consumer<WireMessage> relay) {
    this.vault = with.vault();
    this.trust = with.trust();
    this.keys = with.keys();
    this.random = with.random();
    this.clock = with.clock();
    this.events = with.events();
    this.timings = with.timings();
    this.lists = with.devices();
    this.copies = new CopyMaker(with);
    this.relay = relay;
  }

  /**
   * The relay's rate limit that sends are paced to ({@link SendPacing#RELAY_DEFAULT} unless set).
   */
  void pace(SendPacing limit) {
    this.limit = limit;
    this.pacing = limit.bucket(System::nanoTime);
  }

  /**
   * A new connection: its rate limit starts afresh; sends again everything encrypted but not yet
   * accepted, paced like new texts.
   */
  void resendPending() {
    pacing = limit.bucket(System::nanoTime);
    List<ProfileData.Outgoing> pending;
    synchronized (vault) {
      pending = List.copyOf(vault.data().outbox.values());
    }
    synchronized (handingOver) {
      for (ProfileData.Outgoing message : pending) {
        awaitingAccept.computeIfAbsent(message.id(), id -> new Resent());
        pacing.acquire();
        relay.accept(message.send());
      }
    }
  }

  /**
   * Encrypts {@code text} for {@code peer} and hands it to the relay; returns once the server
   * stored it.
   *
   * @return the message id
   * @throws IllegalArgumentException if the text is empty or longer than {@link
   *     MessagePayload#MAX_BODY_BYTES}
   * @throws UntrustedIdentityException if a new identity of the peer is pending, or the registry
   *     offers keys that are not the pinned identity and there is no session with it
   * @throws MessageRejectedException if the relay refused it (unknown recipient, queue full, ...)
   */
  String send(String peer, String text) {
    Messenger.Outcome outcome = sendAll(peer, List.of(text)).get(0);
    if (outcome.failure() != null) {
      throw outcome.failure();
    }
    return outcome.id();
  }

  /**
   * {@link #send} for several texts at once: all are encrypted, then saved with one durable write,
   * then handed to the relay, and then their answers awaited. Each outcome holds the exception
   * {@link #send} would have thrown for its text after it reached the relay ({@link
   * QueuedException}, {@link MessageRejectedException}); what {@link #send} throws before anything
   * is encrypted is thrown here for the whole batch.
   */
  List<Messenger.Outcome> sendAll(String peer, List<String> texts) {
    return submit(peer, texts).outcomes();
  }

  /**
   * The first half of {@link #sendAll}: encrypts the texts, saves them with one durable write and
   * hands them to the relay, without waiting for the server's answers ({@link
   * Messenger.Submitted#outcomes} waits). So the next texts can be encrypted and saved while the
   * server stores these. Throws what {@link #send} throws before anything is encrypted.
   */
  Messenger.Submitted submit(String peer, List<String> texts) {
    if (texts.isEmpty()) {
      return new Submitted(List.of(), List.of(), List.of(), null);
    }
    if (peer.equals(ownName())) {
      throw new IllegalArgumentException(
          "you cannot send a message to your own account; your other devices see what you send");
    }
    List<MessagePayload.Text> payloads = new ArrayList<>(texts.size());
    for (String text : texts) {
      payloads.add(new MessagePayload.Text(UUID.randomUUID().toString(), clock.instant(), text));
    }
    String token = vault.token(clock.instant());
    List<ProfileData.Outgoing> outgoing = new ArrayList<>(texts.size());
    List<Duration> encryptTimes = new ArrayList<>(texts.size());
    synchronized (vault) {
      List<Integer> devices = prepare(token, peer);
      List<Integer> mine = prepareOwn(token);
      long[] nanos = new long[payloads.size()];
      List<List<WireMessage.Copy>> made = copies.encrypt(peer, devices, payloads, nanos);
      List<List<WireMessage.Copy>> transcripts =
          copies.encrypt(ownName(), mine, transcriptsOf(peer, payloads), nanos);
      for (int i = 0; i < payloads.size(); i++) {
        encryptTimes.add(Duration.ofNanos(nanos[i]));
        MessagePayload.Text payload = payloads.get(i);
        List<WireMessage.Copy> all = new ArrayList<>(made.get(i));
        all.addAll(transcripts.get(i));
        ProfileData.Outgoing message =
            new ProfileData.Outgoing(payload.id(), peer, all, Bytes.base64(payload.encode()));
        outgoing.add(message);
        vault.data().queue(message);
        vault.data().rememberSent(payload.id(), peer);
      }
      timings.encrypt = encryptTimes.get(encryptTimes.size() - 1);
      long start = System.nanoTime();
      vault.save(); // durable before anything goes out: a crash cannot reuse a message key
      timings.save = Duration.ofNanos(System.nanoTime() - start);
    }
    return handOver(
        peer,
        payloads.stream().map(MessagePayload.Text::id).toList(),
        texts,
        outgoing,
        encryptTimes);
  }

  /**
   * Hands messages saved in the outbox to the relay, paced, in order ({@code to}, {@code texts}:
   * what {@link MessengerEvents#sending} is told), without waiting for the server's answers.
   */
  Messenger.Submitted handOver(
      String to,
      List<String> ids,
      List<String> texts,
      List<ProfileData.Outgoing> outgoing,
      List<Duration> encryptTimes) {
    List<CompletableFuture<WireMessage>> answers = new ArrayList<>(ids.size());
    RuntimeException noConnection = null;
    synchronized (handingOver) {
      for (int i = 0; i < ids.size(); i++) {
        String id = ids.get(i);
        events.sending(to, id, texts.get(i));
        CompletableFuture<WireMessage> answer = new CompletableFuture<>();
        answers.add(answer);
        if (noConnection != null) {
          continue;
        }
        awaitingAccept.put(id, answer);
        try {
          pacing.acquire(); // under the relay's rate limit: above it the server closes with 4429
          relay.accept(outgoing.get(i).send());
        } catch (RuntimeException failed) {
          noConnection = failed;
        }
      }
    }
    return new Submitted(ids, encryptTimes, answers, noConnection);
  }

  /** Texts handed to the relay by {@link #submit}, and the server's answers as they come. */
  private final class Submitted implements Messenger.Submitted {
    private final List<String> ids;
    private final List<Duration> encryptTimes;
    private final List<CompletableFuture<WireMessage>> answers;
    private final RuntimeException noConnection;

    Submitted(
        List<String> ids,
        List<Duration> encryptTimes,
        List<CompletableFuture<WireMessage>> answers,
        RuntimeException noConnection) {
      this.ids = ids;
      this.encryptTimes = encryptTimes;
      this.answers = answers;
      this.noConnection = noConnection;
    }

    @Override
    public boolean answered() {
      return answers.stream().allMatch(CompletableFuture::isDone);
    }

    @Override
    public List<Messenger.Outcome> outcomes() {
      List<Messenger.Outcome> outcomes = new ArrayList<>(ids.size());
      for (int i = 0; i < ids.size(); i++) {
        String id = ids.get(i);
        RuntimeException failure;
        if (noConnection != null && !answers.get(i).isDone()) {
          awaitingAccept.remove(id);
          failure = new QueuedException(id, "not connected to the server", noConnection);
        } else {
          failure = failure(id, answers.get(i));
        }
        outcomes.add(new Messenger.Outcome(id, encryptTimes.get(i), failure));
      }
      return outcomes;
    }
  }

  /** Null if the server accepted message {@code id}, else what {@link #send} throws for it. */
  private RuntimeException failure(String id, CompletableFuture<WireMessage> answer) {
    try {
      WireMessage reply = await(id, answer);
      if (!(reply instanceof WireMessage.Error error)) {
        return null;
      }
      if (KEPT.contains(error.code())) {
        return new QueuedException(
            id,
            "the server could not store it now ("
                + MessageRejectedException.explain(error.code(), error.message())
                + ")",
            null);
      }
      return MessageRejectedException.of(error);
    } catch (QueuedException queued) {
      return queued;
    }
  }

  /**
   * The devices of {@code peer} to encrypt a text to, each with a session under the pin (started
   * from bundles where missing); the caller holds the vault's lock.
   *
   * @throws UntrustedIdentityException if a new identity of the peer is pending, or the registry
   *     offers keys that are not the pinned identity and there is no session with it
   */
  List<Integer> prepare(String token, String peer) {
    checkRegistryIdentity(token, peer);
    trust.sendable(peer); // refuses while another identity is pending
    List<Integer> devices = recipientDevices(token, peer);
    copies.startSessions(token, peer, devices, lists.list(peer) == null);
    return devices;
  }

  /** {@link #prepare} for this account's other devices (its transcripts). */
  List<Integer> prepareOwn(String token) {
    List<Integer> mine = ownOtherDevices();
    copies.startSessions(token, ownName(), mine, false);
    return mine;
  }

  /**
   * The devices of {@code peer} to encrypt to: those of the list pinned for them, which is checked
   * against the server's once per run (before the first send to them), and again after {@code
   * stale_devices}. If the server cannot answer now, the pin is used as it is.
   */
  private List<Integer> recipientDevices(String token, String peer) {
    if (listCheckedThisRun.add(peer)) {
      try {
        lists.refresh(token, peer, trust.pin(peer).identityKey());
      } catch (RuntimeException unanswered) {
        listCheckedThisRun.remove(peer); // asked again next time
        if (!KeyDirectory.isTransient(unanswered)) {
          throw unanswered;
        }
      }
    }
    return Fanout.required(ownName(), ownDevice(), lists.pinned(peer));
  }

  private String ownName() {
    return vault.info().username();
  }

  /**
   * This account's devices but this one, as its pinned list says (refreshed on every connection and
   * after {@code devicesChanged}, {@link Messenger}): every text goes to them too, as a sent
   * transcript, so a conversation looks the same on each device (docs/protocol.md, "Which copies a
   * client makes").
   */
  private List<Integer> ownOtherDevices() {
    return Fanout.required(ownName(), ownDevice(), lists.pinned(ownName()));
  }

  private static List<MessagePayload.Sent> transcriptsOf(
      String peer, List<MessagePayload.Text> texts) {
    return texts.stream().map(t -> MessagePayload.Sent.of(t, peer)).toList();
  }

  private int ownDevice() {
    return vault.data().deviceId;
  }

  /**
   * Asks the registry for {@code peer}'s identity once per run: pins it if there is no pin yet
   * (first use), and warns, changing nothing, if it is not the pinned one.
   */
  private void checkRegistryIdentity(String token, String peer) {
    if (!registryCheckedThisRun.add(peer)) {
      return;
    }
    Contact contact = trust.contact(peer).orElse(null);
    PeerIdentity published;
    try {
      published = Identities.published(keys, token, peer);
    } catch (RuntimeException unanswered) {
      registryCheckedThisRun.remove(peer); // asked again next time
      if (contact != null && unanswered instanceof ServerUnreachableException) {
        return; // only a warning hangs on it for a pinned contact: encrypting to the pin needs no
        // registry
      }
      throw unanswered;
    }
    if (contact == null) {
      trust.identities().pinIfNew(published);
      vault.save();
    } else if (!contact.matches(published)
        && (contact.pending() == null || !contact.pending().sameKeysAs(published))) {
      events.warning(
          "The server now publishes a different identity key for "
              + peer
              + " than the one you pinned."
              + " Your messages still go only to the pinned key. A changed key means "
              + peer
              + " registered again (a"
              + " new installation) or the server is misbehaving; if "
              + peer
              + " reinstalled, ask them to message you.");
    }
  }

  private WireMessage await(String id, CompletableFuture<WireMessage> answer) {
    try {
      return answer.get(ACCEPT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new QueuedException(
          id, "the connection ended before the server accepted the message", e.getCause());
    } catch (TimeoutException e) {
      throw new QueuedException(id, "the server did not accept the message in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  /**
   * Sends a receipt to every device of the list pinned for {@code peer}, each on the newest session
   * with the pinned identity, without waiting for {@code accepted} (it stays in the outbox until
   * then). A device without a session gets one from its bundle, but only if some device of the peer
   * has one: a receipt never starts a conversation. Sends nothing, and returns false, if there is
   * no such session or an identity is pending.
   */
  boolean sendReceipt(String peer, MessagePayload.Kind kind, String about) {
    return sendReceipt(peer, kind, List.of(about));
  }

  /** {@link #sendReceipt(String, MessagePayload.Kind, String)} about 1 to 100 messages. */
  boolean sendReceipt(String peer, MessagePayload.Kind kind, List<String> about) {
    String id = UUID.randomUUID().toString();
    ProfileData.Outgoing message;
    synchronized (vault) {
      if (peer.equals(ownName())
          || trust.contact(peer).isEmpty()
          || trust.contact(peer).get().pending() != null) {
        return false;
      }
      List<Integer> devices = Fanout.required(ownName(), ownDevice(), lists.pinned(peer));
      if (!copies.canSendTo(peer, devices)) {
        if (devices.stream().noneMatch(d -> copies.canSendTo(peer, List.of(d)))) {
          return false; // no conversation with the pin: a receipt never starts one
        }
        try {
          copies.startSessions(
              vault.token(clock.instant()), peer, devices, lists.list(peer) == null);
        } catch (RuntimeException noSession) {
          return false; // no bundle now, or not the pin's: the receipt is not owed
        }
        if (!copies.canSendTo(peer, devices)) {
          return false;
        }
      }
      MessagePayload.Receipt receipt = new MessagePayload.Receipt(id, clock.instant(), kind, about);
      message =
          new ProfileData.Outgoing(
              id,
              peer,
              copies.encrypt(peer, devices, List.of(receipt), null).get(0),
              Bytes.base64(receipt.encode()));
      vault.data().queue(message);
      vault.save();
    }
    awaitingAccept.put(id, new CompletableFuture<>());
    pacing.reserve(); // not waited for (this runs on the connection's thread); texts wait instead
    relay.accept(message.send());
    return true;
  }

  /** The server stored message {@code id} ({@code accepted}). */
  void accepted(WireMessage.Accepted accepted) {
    groupUpdateAccepted(accepted.id());
    settle(accepted.id(), SentState.SENT, false);
    complete(accepted.id(), accepted);
  }

  /**
   * The server refused a message ({@code error}). After {@code stale_devices} the send is rebuilt
   * once; after a refusal that stored nothing and may pass later ({@link #KEPT}) it stays in the
   * outbox ({@link #keep}); any other refusal is final: the message leaves the outbox and is
   * forgotten, never sent again. The user is told why ({@link MessageRejectedException#explain}) by
   * the {@link #send} that waits for the answer, or else by a warning: a text resent from the
   * outbox (typed while the server was unreachable, or in an earlier run) has nobody waiting to
   * report it, and after {@code upgrade_required} the user must learn that it will never go out.
   */
  void refused(WireMessage.Error error) {
    String id = error.id();
    String explained = MessageRejectedException.explain(error.code(), error.message());
    if (id == null) {
      events.warning("the server refused a message: " + explained);
      return;
    }
    if (ErrorCodes.STALE_DEVICES.equals(error.code()) && rebuildLater(error)) {
      return; // answered by the rebuilt send
    }
    if (FULL.contains(error.code()) && sendWithoutFullMembers(error)) {
      return; // answered by the send without them
    }
    if (KEPT.contains(error.code())) {
      keep(id, error);
      return;
    }
    forget(id, error);
  }

  /**
   * A refusal after which nothing was stored and the same send may be accepted later (a full queue
   * or quota, a failed store): the message stays in the outbox, with its id and envelopes (the
   * ratchets moved; what was encrypted is never encrypted again), and is resent on the next
   * connection (docs/protocol.md, "What a client does with each error code").
   */
  private void keep(String id, WireMessage.Error error) {
    String explained = MessageRejectedException.explain(error.code(), error.message());
    ProfileData.Sent text;
    synchronized (vault) {
      text = vault.data().sent.get(id);
    }
    staleRetried.remove(id);
    CompletableFuture<WireMessage> waiting = awaitingAccept.remove(id);
    if ((waiting == null || waiting instanceof Resent) && text != null) {
      events.warning(
          "your message to "
              + text.to()
              + " is not sent yet ("
              + explained
              + "); it stays in the outbox and is sent again on the next connection");
    }
    if (waiting != null) {
      waiting.complete(error);
    }
  }

  /**
   * After a full queue refused group message {@code error.id()}: sends it again at once without the
   * members {@link FullMembers} may leave out, and tells the user who missed it. A group update
   * that may not leave them out is given up (not applied, the user told how to go on): kept, it
   * would block every later change to the group. False if the message waits in the outbox instead
   * (not a group message, or a text with nobody else to send to).
   */
  private boolean sendWithoutFullMembers(WireMessage.Error error) {
    ProfileData.Outgoing rest = null;
    boolean giveUp = false;
    Set<String> missed = new TreeSet<>();
    synchronized (vault) {
      ProfileData.Outgoing entry = vault.data().outbox.get(error.id());
      if (entry == null
          || entry.payload() == null
          || error.devices() == null
          || Groups.ofOutboxName(entry.to()).isEmpty()) {
        return false;
      }
      MessagePayload payload =
          MessagePayload.decode(Bytes.fromBase64(entry.payload())).orElse(null);
      Optional<List<WireMessage.Copy>> copies =
          FullMembers.sendWithout(entry.copies(), payload, error.devices(), ownName());
      if (copies.isEmpty() && payload instanceof MessagePayload.GroupUpdate) {
        giveUp = true; // outside the lock: forget tells whoever waits
      } else if (copies.isEmpty()) {
        return false;
      } else {
        missed.addAll(users(error.devices()));
        rest = new ProfileData.Outgoing(entry.id(), entry.to(), copies.get(), entry.payload());
        vault.data().queue(rest);
        vault.save();
      }
    }
    if (giveUp) {
      forget(
          error.id(),
          new WireMessage.Error(
              error.id(),
              error.code(),
              "the group was not changed: a device of "
                  + String.join(", ", users(error.devices()))
                  + " has a full queue and must not miss a change; remove them from the group"
                  + " (that change does not need to reach them) or try again later"));
      return true;
    }
    if (rest == null) {
      return false;
    }
    ProfileData.Outgoing resend = rest;
    String group = Groups.ofOutboxName(resend.to()).orElseThrow().hex();
    events.warning(
        "your message to group "
            + group.substring(0, Groups.MIN_PREFIX)
            + " did not reach "
            + String.join(", ", missed)
            + " ("
            + MessageRejectedException.explain(error.code(), error.message())
            + "); it is sent to the other members");
    retries.execute(
        () -> {
          pacing.reserve();
          try {
            relay.accept(resend.send());
          } catch (RuntimeException noConnection) {
            // stays in the outbox without them: resent on the next connection
          }
        });
    return true;
  }

  private static List<String> users(List<WireMessage.UserDevices> devices) {
    return devices.stream().map(WireMessage.UserDevices::user).toList();
  }

  /** A refusal of message {@code id} is final: it leaves the outbox; whoever waits is told. */
  private void forget(String id, WireMessage.Error error) {
    String explained = MessageRejectedException.explain(error.code(), error.message());
    ProfileData.Sent text;
    synchronized (vault) {
      text = vault.data().sent.get(id); // a text, not a receipt; forgotten by settle
    }
    settle(id, null, true);
    staleRetried.remove(id);
    CompletableFuture<WireMessage> waiting = awaitingAccept.remove(id);
    boolean reported = waiting != null && waiting.complete(error) && !(waiting instanceof Resent);
    if (waiting == null) {
      events.warning("the server refused a message: " + explained);
    } else if (!reported && text != null) {
      events.warning("your message to " + text.to() + " was not sent: " + explained);
    }
  }

  /**
   * After {@code stale_devices} for message {@code id}: once per message, the recipient's list
   * (and, for a text, this account's own) is fetched and verified again and the send rebuilt (same
   * id, the envelopes of devices that stay, new ones for devices the verified list adds) on another
   * thread. False if it is not rebuilt (the second refusal, or an entry written before linked
   * devices): the refusal is then final.
   */
  private boolean rebuildLater(WireMessage.Error error) {
    String id = error.id();
    ProfileData.Outgoing entry;
    synchronized (vault) {
      entry = vault.data().outbox.get(id);
    }
    if (entry == null || entry.payload() == null || !staleRetried.add(id)) {
      return false;
    }
    String named =
        error.devices() == null || error.devices().isEmpty()
            ? entry.copies().get(0).to() // the recipient, or a group's first member
            : error.devices().get(0).user();
    retries.execute(() -> rebuild(entry, named));
    return true;
  }

  /** {@code named}: the user the server's {@code stale_devices} named first. */
  private void rebuild(ProfileData.Outgoing entry, String named) {
    String peer = entry.to();
    ProfileData.Outgoing rebuilt;
    try {
      synchronized (vault) {
        String token = vault.token(clock.instant());
        MessagePayload payload =
            MessagePayload.decode(Bytes.fromBase64(entry.payload())).orElseThrow();
        boolean group = Groups.ofOutboxName(peer).isPresent();
        boolean text = payload instanceof MessagePayload.Text;
        // a group message goes to the users its copies name (the members when it was made)
        List<String> users =
            group
                ? entry.copies().stream()
                    .map(WireMessage.Copy::to)
                    .filter(u -> !u.equals(ownName()))
                    .distinct()
                    .toList()
                : List.of(peer);
        for (String user : users) {
          lists.refresh(token, user, trust.pin(user).identityKey());
        }
        if (text || group) {
          lists.refresh(token, ownName(), vault.data().identity.identityKey());
        }
        Map<String, List<Integer>> wanted = new LinkedHashMap<>();
        for (String user : users) {
          wanted.put(user, Fanout.required(ownName(), ownDevice(), lists.pinned(user)));
        }
        if (text || group) {
          wanted.put(ownName(), ownOtherDevices());
        }
        Map<String, WireMessage.Copy> kept = new HashMap<>();
        entry.copies().forEach(c -> kept.put(c.to() + ":" + c.device(), c));
        Set<String> targets = new HashSet<>();
        wanted.forEach((user, devices) -> devices.forEach(d -> targets.add(user + ":" + d)));
        if (kept.keySet().equals(targets)) {
          forget(
              entry.id(),
              new WireMessage.Error(
                  entry.id(),
                  MessageRejectedException.UNSIGNED_DEVICE,
                  "not sent: the server asks to encrypt to a device of "
                      + named
                      + " that "
                      + named
                      + "'s identity key has not signed"));
          return;
        }
        List<WireMessage.Copy> all = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> user : wanted.entrySet()) {
          String to = user.getKey();
          List<Integer> fresh =
              user.getValue().stream().filter(d -> !kept.containsKey(to + ":" + d)).toList();
          copies.startSessions(token, to, fresh, lists.list(to) == null);
          MessagePayload forUser =
              group || to.equals(peer)
                  ? payload
                  : MessagePayload.Sent.of((MessagePayload.Text) payload, peer);
          List<WireMessage.Copy> made = copies.encrypt(to, fresh, List.of(forUser), null).get(0);
          for (int device : user.getValue()) {
            WireMessage.Copy old = kept.get(to + ":" + device);
            all.add(old != null ? old : made.get(fresh.indexOf(device)));
          }
        }
        rebuilt = new ProfileData.Outgoing(entry.id(), peer, all, entry.payload());
        vault.data().queue(rebuilt);
        vault.save();
      }
    } catch (RuntimeException failed) {
      forget(
          entry.id(),
          new WireMessage.Error(
              entry.id(),
              ErrorCodes.STALE_DEVICES,
              "not sent: "
                  + (Groups.ofOutboxName(peer).isPresent() ? "a member" : peer)
                  + "'s devices changed and could not be checked now"));
      return;
    }
    pacing.reserve();
    try {
      relay.accept(rebuilt.send());
    } catch (RuntimeException noConnection) {
      // stays in the outbox: resent, as rebuilt, on the next connection
    }
  }

  /** Called with each group update of this user's once the server stored it. */
  void onGroupUpdateAccepted(Consumer<MessagePayload.GroupUpdate> applier) {
    this.updateAccepted = applier;
  }

  /**
   * If message {@code id} is a group update of this user's, it applies now: every member's copy is
   * stored (docs/design/groups.md); in a crash before that, the update is resent from the outbox
   * and applied when the server answers.
   */
  private void groupUpdateAccepted(String id) {
    ProfileData.Outgoing entry;
    synchronized (vault) {
      entry = vault.data().outbox.get(id);
    }
    if (entry != null
        && entry.payload() != null
        && Groups.ofOutboxName(entry.to()).isPresent()
        && MessagePayload.decode(Bytes.fromBase64(entry.payload())).orElse(null)
            instanceof MessagePayload.GroupUpdate update) {
      updateAccepted.accept(update);
    }
  }

  /** Stops the thread that rebuilds sends. */
  void close() {
    retries.shutdownNow();
  }

  /**
   * The answer awaited for a message {@link #resendPending} sent again: no {@link #send} reports
   * it.
   */
  private static final class Resent extends CompletableFuture<WireMessage> {}

  /**
   * The recipient's client acknowledged a message to the server ({@code delivered}): answered with
   * receiptAck.
   */
  void reached(WireMessage.Delivered delivered) {
    settle(delivered.id(), SentState.REACHED, false);
    relay.accept(
        delivered.device() == 0
            ? new WireMessage.ReceiptAck(delivered.id())
            : new WireMessage.ReceiptAck(delivered.id(), delivered.to(), delivered.device()));
  }

  /**
   * The recipient acknowledged a message before the server stored it ({@code relayed}, relay
   * version 3): the send is over and the text reached its recipient; the server holds nothing, so
   * nothing is answered.
   */
  void relayed(WireMessage.Relayed relayed) {
    settle(relayed.id(), SentState.REACHED, false);
    complete(relayed.id(), relayed);
  }

  /**
   * The server answered about message {@code id}: it leaves the outbox, and a text moves to {@code
   * state}.
   */
  private void settle(String id, SentState state, boolean refused) {
    ProfileData.Sent moved = null;
    synchronized (vault) {
      ProfileData data = vault.data();
      boolean changed = data.unqueue(id);
      ProfileData.Sent sent = data.sent.get(id);
      if (sent != null && refused) {
        data.forgetSent(id);
        changed = true;
      } else if (sent != null && sent.state().advancedTo(state) != sent.state()) {
        moved = new ProfileData.Sent(sent.to(), sent.state().advancedTo(state));
        data.updateSent(id, moved);
        changed = true;
      }
      if (changed && state == SentState.SENT) {
        vault.saveLater(); // lost in a crash, the message is resent with its id and stored once
      } else if (changed) {
        vault.save();
      }
    }
    if (moved != null) {
      events.sentStateChanged(moved.to(), id, moved.state());
    }
  }

  private boolean complete(String id, WireMessage answer) {
    staleRetried.remove(id);
    CompletableFuture<WireMessage> waiting = awaitingAccept.remove(id);
    if (waiting != null) {
      waiting.complete(answer);
      return true;
    }
    return false;
  }

  /**
   * An end-to-end receipt from {@code from}, authenticated under the pin: moves the texts it names
   * forward, if they were sent to {@code from}.
   */
  void receiptArrived(String from, MessagePayload.Receipt receipt) {
    SentState reported =
        switch (receipt.kind()) {
          case DELIVERED -> SentState.DELIVERED;
          case READ -> SentState.READ;
          case UNDECRYPTABLE -> SentState.UNDECRYPTABLE;
        };
    for (String id : receipt.of()) {
      ProfileData.Sent moved = null;
      synchronized (vault) {
        ProfileData.Sent sent = vault.data().sent.get(id);
        if (sent != null
            && sent.to().equals(from)
            && sent.state().advancedTo(reported) != sent.state()) {
          moved = new ProfileData.Sent(from, sent.state().advancedTo(reported));
          vault.data().updateSent(id, moved);
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

  /**
   * Waits (up to {@code wait}) until the server accepted everything this run sent, receipts
   * included; what is not accepted by then stays in the outbox for the next connection.
   */
  void awaitAccepted(Duration wait) {
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
   * The connection ended: whoever waits for an answer stops waiting (the messages stay in the
   * outbox).
   */
  void connectionClosed(int code) {
    awaitingAccept
        .values()
        .forEach(f -> f.completeExceptionally(new IllegalStateException("closed " + code)));
  }
}
