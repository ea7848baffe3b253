package com.securecom.client.app;

import com.securecom.client.e2e.DuplicateMessageException;
import com.securecom.client.e2e.LocalUser;
import com.securecom.client.e2e.MessagePayload;
import com.securecom.client.e2e.PeerIdentity;
import com.securecom.client.e2e.PreKeyBundle;
import com.securecom.client.e2e.SessionRecord;
import com.securecom.client.e2e.UntrustedBundleException;
import com.securecom.client.net.ApiException;
import com.securecom.client.net.RelayConnection;
import com.securecom.client.net.ServerApi;
import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.wire.WireMessage;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * End-to-end messaging over the relay for one profile.
 *
 * <p>Sending: check the peer's identity against the pin (once per run, against the registry), start a session from
 * the peer's verified bundle if there is none, encrypt, save the ratchet and the outbox entry, then send and wait
 * for {@code accepted}. Receiving: decrypt, save the ratchet and the id, then show and acknowledge. Every state change
 * is saved before it is acted on, so a crash never rolls a ratchet back; an envelope encrypted but not accepted is
 * resent (same id, so the server stores it once) on the next connection.
 *
 * <p>Identities are pinned on first use. A changed identity is announced loudly; for a peer the user verified,
 * sending is refused until they verify again.
 */
public final class Messenger implements RelayConnection.Listener, AutoCloseable {
  private static final Duration ACCEPT_WAIT = Duration.ofSeconds(30);
  private static final int PREKEY_LOW_WATER = 25;
  private static final int PREKEY_BATCH = 75;
  private static final Duration SIGNED_PREKEY_LIFETIME = Duration.ofDays(7);

  private final Vault vault;
  private final ServerApi api;
  private final SecureRandom random;
  private final Clock clock;
  private final MessengerEvents events;
  private final Map<String, SessionRecord> records = new HashMap<>();
  private final Set<String> identityCheckedThisRun = new HashSet<>();
  private final Map<String, CompletableFuture<WireMessage>> awaitingAccept = new ConcurrentHashMap<>();
  private final Timings timings = new Timings();
  private volatile RelayConnection connection;
  /** The connection, for the listener's callbacks: they can run before {@link RelayConnection#open} returns. */
  private final CompletableFuture<RelayConnection> opened = new CompletableFuture<>();
  private volatile boolean receiving = true;

  public Messenger(Vault vault, ServerApi api, SecureRandom random, Clock clock, MessengerEvents events) {
    this.vault = vault;
    this.api = api;
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

  /** Durations of the last key exchange, encryption, decryption and handshake (for {@code --verbose}). */
  public Timings timings() {
    return timings;
  }

  private ProfileData data() {
    return vault.data();
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
    connection = RelayConnection.open(api.channelUri(), vault.info().serverPublicKeyBytes(), token, this);
    opened.complete(connection);
    timings.handshake = connection.handshakeTime();
    synchronized (vault) {
      for (ProfileData.Outgoing pending : data().outbox.values()) {
        awaitingAccept.computeIfAbsent(pending.id(), id -> new CompletableFuture<>());
        connection.send(new WireMessage.Send(pending.id(), pending.to(), pending.envelope()));
      }
    }
    maintainPreKeys(token);
  }

  /** Waits until everything the server had queued for this user has been handled (see RelayConnection#sync). */
  public void sync() throws ChannelException {
    connection.sync();
  }

  /**
   * Encrypts {@code text} for {@code peer} and hands it to the relay; returns once the server stored it.
   *
   * @return the message id
   * @throws UntrustedIdentityException if the peer was verified and their identity changed since
   * @throws MessageRejectedException if the relay refused it (unknown recipient, queue full, ...)
   */
  public String send(String peer, String text) {
    String token = token();
    String id = UUID.randomUUID().toString();
    String envelope;
    synchronized (vault) {
      checkRegistryIdentity(token, peer);
      SessionRecord record = record(peer);
      if (record.current().isEmpty()) {
        PreKeyBundle bundle = PreKeyBundle.fromRegistryJson(peer, api.bundle(token, peer));
        checkIdentity(peer, bundle.identity(), true);
        long start = System.nanoTime();
        try {
          record.initiate(localUser(), bundle);
        } catch (UntrustedBundleException e) {
          throw new UntrustedIdentityException(peer);
        }
        timings.keyExchange = Duration.ofNanos(System.nanoTime() - start);
      }
      long start = System.nanoTime();
      byte[] sealed = record.encrypt(new MessagePayload(id, text, clock.instant()));
      timings.encrypt = Duration.ofNanos(System.nanoTime() - start);
      envelope = Bytes.base64(sealed);
      data().sessions.put(peer, record.toBytes());
      data().outbox.put(id, new ProfileData.Outgoing(id, peer, envelope));
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
      synchronized (vault) {
        if (data().outbox.remove(accepted.id()) != null) {
          vault.save();
        }
      }
      complete(accepted.id(), accepted);
    } else if (message instanceof WireMessage.Error error) {
      synchronized (vault) {
        if (error.id() != null && data().outbox.remove(error.id()) != null) {
          vault.save();
        }
      }
      if (error.id() == null || !complete(error.id(), error)) {
        events.warning("the server refused a message: " + error.message());
      }
    } else if (message instanceof WireMessage.Delivered delivered) {
      events.delivered(delivered.to(), delivered.id());
      reply(new WireMessage.ReceiptAck(delivered.id()));
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

  /** Answers the server from the connection's thread (see {@link #opened}). */
  private void reply(WireMessage message) {
    opened.join().send(message);
  }

  private void receive(WireMessage.Deliver deliver) {
    String from = deliver.from();
    MessagePayload payload;
    synchronized (vault) {
      if (data().hasReceived(from, deliver.id())) {
        reply(new WireMessage.Ack(deliver.id(), from));
        return;
      }
      SessionRecord record = record(from);
      long start = System.nanoTime();
      try {
        payload = record.decrypt(Bytes.fromBase64(deliver.envelope()), deliver.id(), localUser(),
            () -> identityForNewSession(from));
      } catch (DuplicateMessageException duplicate) {
        reply(new WireMessage.Ack(deliver.id(), from));
        return;
      } catch (DecryptionFailedException | IllegalArgumentException | UnknownPeerException e) {
        events.warning("a message from " + from + " could not be decrypted and was dropped");
        data().rememberReceived(from, deliver.id());
        vault.save();
        reply(new WireMessage.Ack(deliver.id(), from));
        return;
      }
      timings.decrypt = Duration.ofNanos(System.nanoTime() - start);
      data().sessions.put(from, record.toBytes());
      data().rememberReceived(from, deliver.id());
      vault.save();
    }
    events.received(from, deliver.id(), payload.body(), payload.sentAt());
    reply(new WireMessage.Ack(deliver.id(), from));
  }

  /** The identity of a peer who starts a new session with us: the registry's, checked against the pin. */
  private PeerIdentity identityForNewSession(String from) {
    PeerIdentity published;
    try {
      published = PeerIdentity.fromRegistryJson(from, api.identity(token(), from));
    } catch (ApiException e) {
      throw new UnknownPeerException(from);
    }
    checkIdentity(from, published, false);
    return published;
  }

  /** Compares the registry's identity for {@code peer} with the pin, once per run. */
  private void checkRegistryIdentity(String token, String peer) {
    if (identityCheckedThisRun.add(peer) && data().contacts.containsKey(peer)) {
      checkIdentity(peer, PeerIdentity.fromRegistryJson(peer, api.identity(token, peer)), true);
    }
    Contact contact = data().contacts.get(peer);
    if (contact != null && contact.blocked()) {
      throw new UntrustedIdentityException(peer);
    }
  }

  /**
   * Pins {@code seen} on first use. A different identity replaces the pin with a loud warning and ends the old
   * sessions; if the old one was verified, the contact is blocked for sending until the user verifies again.
   */
  private void checkIdentity(String peer, PeerIdentity seen, boolean sending) {
    if (!seen.isSelfConsistent()) {
      throw new UntrustedIdentityException(peer);
    }
    Contact contact = data().contacts.get(peer);
    if (contact == null) {
      data().contacts.put(peer, Contact.firstSeen(seen));
      vault.save();
      return;
    }
    if (contact.matches(seen)) {
      return;
    }
    Contact changed = contact.changedTo(seen);
    data().contacts.put(peer, changed);
    data().sessions.remove(peer);
    records.remove(peer);
    vault.save();
    events.warning("WARNING: the identity key of " + peer + " has CHANGED. Someone may be impersonating them, or"
        + " they reinstalled. Compare the new safety number ('securecom fingerprint " + peer + "') in person."
        + (changed.blocked() ? " Sending to " + peer + " is blocked until you run 'securecom verify " + peer + "'."
            : ""));
    if (sending && changed.blocked()) {
      throw new UntrustedIdentityException(peer);
    }
  }

  private SessionRecord record(String peer) {
    return records.computeIfAbsent(peer, p -> {
      byte[] stored = data().sessions.get(p);
      return stored == null ? new SessionRecord() : SessionRecord.fromBytes(stored, random);
    });
  }

  private LocalUser localUser() {
    return new LocalUser(vault.info().username(), data().identity, vault, random);
  }

  /** Uploads one-time prekeys when the server's pool runs low; rotates the signed prekey weekly. */
  private void maintainPreKeys(String token) {
    int count = api.oneTimePreKeyCount(token);
    if (count < PREKEY_LOW_WATER) {
      JsonArrayBuilder upload;
      synchronized (vault) {
        upload = PreKeys.generateOneTimePreKeys(data(), PREKEY_BATCH, random);
        vault.save();
      }
      api.uploadOneTimePreKeys(token, Json.createObjectBuilder().add("preKeys", upload).build());
    }
    JsonObject rotated = null;
    synchronized (vault) {
      Instant created = data().currentSignedPreKey().createdAt();
      if (created.plus(SIGNED_PREKEY_LIFETIME).isBefore(clock.instant())) {
        rotated = PreKeys.rotateSignedPreKey(data(), random, clock.instant());
        vault.save();
      }
    }
    if (rotated != null) {
      api.rotateSignedPreKey(token, rotated);
    }
  }

  @Override
  public void onClose(int code, String reason) {
    awaitingAccept.values().forEach(f -> f.completeExceptionally(new IllegalStateException("closed " + code)));
    events.disconnected(code, reason);
  }

  /** Waits until the server or the network closes the connection; returns the close code. */
  public int awaitDisconnect() throws InterruptedException {
    return connection.awaitClose().getCloseCode().getCode();
  }

  @Override
  public void close() {
    if (connection != null) {
      connection.close();
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
