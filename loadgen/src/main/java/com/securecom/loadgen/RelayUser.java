package com.securecom.loadgen;

import com.securecom.client.net.ApiException;
import com.securecom.client.net.RelayConnection;
import com.securecom.client.net.ServerUnreachableException;
import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.channel.CloseCodes;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.KeySignatures;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.wire.WireMessage;
import jakarta.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.glassfish.tyrus.client.ClientManager;

/**
 * A user of the real relay: registered, logged in, over the encrypted channel, behaving as a client
 * must (docs/protocol.md, "Flow"): it acknowledges every {@code deliver} (again for a duplicate,
 * which the application does not see twice), answers every receipt, and keeps each send it has no
 * answer for, to send again with the same id on its next connection. Its {@link UserLedger} records
 * all of it.
 *
 * <p>With {@code reconnect}, a connection that ends is replaced: with the same token (sessions
 * outlive a server restart), or after logging in again if the server refuses it (4401); attempts
 * back off from 100 ms to 1 s. Sends made while there is no connection are skipped (counted), not
 * queued.
 *
 * <p>Payloads carry the message id after the common header ({@code u8(len) || id}), so a recipient
 * can check that the envelope it got under an id is the one sent under that id.
 */
final class RelayUser extends SimulatedUser {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long FIRST_RETRY_MILLIS = 100;
  private static final long LAST_RETRY_MILLIS = 1000;

  private final RelayAccess access;
  private final UserLedger ledger;
  private final boolean reconnect;
  private final long ackDelayMillis;
  private final int relayVersion;
  private final ScheduledExecutorService retries;
  private final AtomicLong ids = new AtomicLong();

  /**
   * Guards changes of {@link #connection}; held while sending, so that sends made again after a
   * reconnect and the receipts that answer them keep their order (see {@link #open}).
   */
  private final Object sendLock = new Object();

  private volatile RelayConnection connection;
  private volatile String token;
  private volatile boolean closing;

  RelayUser(
      String name,
      int index,
      int window,
      Stats stats,
      RelayAccess access,
      LoadOptions options,
      ScheduledExecutorService retries) {
    super(name, index, window, stats);
    this.access = access;
    this.ledger = new UserLedger(name, options.trackMessages());
    this.reconnect = options.reconnect();
    this.ackDelayMillis = options.ackDelay().toMillis();
    this.relayVersion = options.relayVersion();
    this.retries = retries;
  }

  UserLedger ledger() {
    return ledger;
  }

  /**
   * Registers (or, if the name is taken from an earlier run, just logs in) and keeps the bearer
   * token.
   */
  void signIn() {
    Ed25519.KeyPair identity = Ed25519.generate(RANDOM);
    X25519.KeyPair dh = X25519.generate(RANDOM);
    X25519.KeyPair preKey = X25519.generate(RANDOM);
    long createdAt = System.currentTimeMillis() / 1000;
    access.register(
        Json.createObjectBuilder()
            .add("username", name)
            .add("password", access.password())
            .add("identityKey", Bytes.base64(identity.publicKey()))
            .add(
                "identityDhKey",
                Json.createObjectBuilder()
                    .add("publicKey", Bytes.base64(dh.publicKey()))
                    .add(
                        "signature",
                        Bytes.base64(
                            Ed25519.sign(
                                identity.privateKey(),
                                KeySignatures.identityDhKeyMessage(dh.publicKey())))))
            .add(
                "signedPreKey",
                Json.createObjectBuilder()
                    .add("keyId", 1)
                    .add("publicKey", Bytes.base64(preKey.publicKey()))
                    .add("createdAt", createdAt)
                    .add(
                        "signature",
                        Bytes.base64(
                            Ed25519.sign(
                                identity.privateKey(),
                                KeySignatures.signedPreKeyMessage(
                                    1, createdAt, preKey.publicKey())))))
            .build());
    token = access.login(name);
  }

  /**
   * The first connection, over the generator's shared Tyrus client.
   *
   * @throws ChannelException if the server refuses the handshake or the token
   */
  void connect(ClientManager client) throws ChannelException {
    if (!open(client)) {
      stats.disconnect("closed-before-use");
      scheduleReconnect(FIRST_RETRY_MILLIS);
    }
  }

  /**
   * Opens a connection and makes it this user's, sending again everything unanswered. False if it
   * ended before it could be used (or the user is closing).
   */
  private boolean open(ClientManager client) throws ChannelException {
    Listener listener = new Listener();
    RelayConnection opened;
    try {
      opened =
          RelayConnection.open(
              client, access.channelUri(), access.serverKey(), token, relayVersion, listener);
    } catch (ChannelException | RuntimeException e) {
      listener.connection.completeExceptionally(e);
      throw e;
    }
    listener.connection.complete(opened);
    synchronized (sendLock) {
      if (closing || listener.closed) {
        opened.close();
        return false;
      }
      listener.live = true;
      connection = opened;
      try {
        // Under the lock, so a receipt that answers one of these is handled before or after all of
        // them, never
        // between (a receiptAck the server handles before the resend would make it store the
        // message anew).
        for (WireMessage.Send unanswered : ledger.unanswered()) {
          opened.send(unanswered);
          stats.resent.increment();
        }
      } catch (ServerUnreachableException died) {
        // the listener's onClose replaces this connection
      }
    }
    return true;
  }

  /** True while this user has a live connection. */
  @Override
  boolean connected() {
    return connection != null;
  }

  @Override
  void send(SimulatedUser to, long intendedNanos, int size) {
    String id = name + "-" + ids.incrementAndGet();
    WireMessage.Send send =
        new WireMessage.Send(id, to.name, Bytes.base64(payload(size, intendedNanos, id)));
    synchronized (sendLock) {
      if (connection == null) {
        stats.skipped.increment();
        window.release();
        return;
      }
      ledger.sending(send);
      stats.sent.increment();
      try {
        connection.send(send);
      } catch (RuntimeException dying) {
        // a connection that is going down can refuse the send in several ways (the client's
        // executor already
        // shut down: RejectedExecutionException); with reconnect the send stays unanswered and goes
        // again
        if (!reconnect) {
          stats.error("send-failed");
        }
      }
    }
  }

  private byte[] payload(int size, long intendedNanos, String id) {
    byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer buffer = payload(Math.max(size, PAYLOAD_HEADER + 1 + idBytes.length), intendedNanos);
    buffer.put((byte) idBytes.length).put(idBytes);
    return buffer.array();
  }

  /** Whether {@code payload} is the one its sender made for message {@code deliver.id()}. */
  private boolean matches(byte[] payload, WireMessage.Deliver deliver) {
    if (payload.length < PAYLOAD_HEADER + 1) {
      return false;
    }
    ByteBuffer buffer = ByteBuffer.wrap(payload, 8, payload.length - 8);
    int sender = buffer.getInt();
    int length = buffer.get() & 0xff;
    if (sender < 0
        || sender >= everyone.length
        || !everyone[sender].name.equals(deliver.from())
        || buffer.remaining() < length) {
      return false;
    }
    byte[] id = new byte[length];
    buffer.get(id);
    return new String(id, StandardCharsets.US_ASCII).equals(deliver.id());
  }

  /**
   * Waits until the server has handled everything this user sent so far (a ping answered in order).
   */
  void sync() throws ChannelException {
    RelayConnection current;
    synchronized (sendLock) {
      current = connection;
    }
    if (current != null) {
      current.sync();
    }
  }

  private void scheduleReconnect(long delayMillis) {
    if (closing || !reconnect) {
      return;
    }
    try {
      retries.schedule(() -> reconnect(delayMillis), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException shuttingDown) {
      // the run is over
    }
  }

  /**
   * One attempt; on failure the next one is scheduled, {@code lastDelay} doubled up to a second.
   */
  private void reconnect(long lastDelay) {
    long next = Math.min(lastDelay * 2, LAST_RETRY_MILLIS);
    if (closing) {
      return;
    }
    try {
      if (token == null) {
        token = access.login(name);
      }
      // A client of its own: a shared one shuts its executors down when its last session ends.
      if (open(ClientManager.createClient())) {
        stats.reconnects.increment();
      } else {
        scheduleReconnect(next);
      }
    } catch (ChannelException e) {
      if (e.closeCode() == CloseCodes.UNAUTHORIZED) {
        token = null; // log in again
        scheduleReconnect(FIRST_RETRY_MILLIS);
      } else {
        // e.g. 1008: the server did not prove the pinned key. A real client stops here and warns
        // its user.
        stats.error("reconnect-refused-" + e.closeCode());
      }
    } catch (ServerUnreachableException | ApiException notYet) {
      scheduleReconnect(next);
    } catch (RuntimeException e) {
      stats.error("reconnect-" + e.getClass().getSimpleName());
      scheduleReconnect(next);
    }
  }

  @Override
  public void close() {
    closing = true;
    RelayConnection current;
    synchronized (sendLock) {
      current = connection;
      connection = null;
    }
    if (current != null) {
      current.close();
    }
  }

  /** Receives from one connection; acknowledgements go back on that same connection. */
  private final class Listener implements RelayConnection.Listener {
    final CompletableFuture<RelayConnection> connection = new CompletableFuture<>();
    volatile boolean closed;

    /** Set under {@link #sendLock} once the connection is this user's. */
    boolean live;

    @Override
    public void onMessage(WireMessage message) {
      try {
        handle(message);
      } catch (ServerUnreachableException connectionEnded) {
        // an ack or receiptAck that did not go out: the server sends that message or receipt again
      } catch (RuntimeException e) {
        stats.error("listener-" + e.getClass().getSimpleName());
      }
    }

    private void handle(WireMessage message) {
      if (message instanceof WireMessage.ServerMessage fromServer) {
        fromServer.accept(inbound);
      }
    }

    /**
     * What each server message means to a simulated user (the connection handles ready, pong and
     * caughtUp).
     */
    private final WireMessage.ServerMessage.Visitor<RuntimeException> inbound =
        new WireMessage.ServerMessage.Visitor<>() {
          @Override
          public void deliver(WireMessage.Deliver deliver) {
            byte[] payload = Bytes.fromBase64(deliver.envelope());
            if (!matches(payload, deliver)) {
              stats.error("envelope-mismatch");
            }
            if (ledger.received(new MessageKey(deliver.from(), deliver.id()))) {
              received(payload, 0);
            }
            WireMessage.Ack ack = new WireMessage.Ack(deliver.id(), deliver.from());
            if (ackDelayMillis > 0) {
              RelayConnection on = self();
              retries.schedule(() -> ackLater(on, ack), ackDelayMillis, TimeUnit.MILLISECONDS);
            } else {
              self().send(ack);
            }
          }

          @Override
          public void accepted(WireMessage.Accepted accepted) {
            if (ledger.accepted(accepted.id())) {
              stats.accepted.increment();
            }
          }

          @Override
          public void error(WireMessage.Error error) {
            if (error.id() != null) {
              ledger.refused(error.id(), error.code());
            }
            stats.error(error.code());
            window.release();
          }

          @Override
          public void delivered(WireMessage.Delivered delivered) {
            if (ledger.isUnanswered(delivered.id())) {
              // It may be among the sends being made again on this connection: its receiptAck must
              // not overtake them.
              synchronized (sendLock) {
                receipt(delivered.id());
              }
            } else {
              receipt(delivered.id());
            }
          }

          /** The fast path's one answer (version 3): accepted and delivered, nothing to answer. */
          @Override
          public void relayed(WireMessage.Relayed relayed) {
            if (ledger.accepted(relayed.id())) {
              stats.accepted.increment();
            }
            ledger.receipt(relayed.id());
          }

          @Override
          public void preKeysLow(WireMessage.PreKeysLow low) {
            // not simulated: the load generator leaves prekey upkeep out, as it always did
          }

          @Override
          public void ready(WireMessage.Ready ready) {}

          @Override
          public void pong(WireMessage.Pong pong) {}

          @Override
          public void caughtUp(WireMessage.CaughtUp caughtUp) {}

          @Override
          public void devicesChanged(WireMessage.DevicesChanged changed) {
            // version 4: the connection refuses it as malformed before it gets here
          }
        };

    /**
     * A delayed ack, on the scheduler's thread: under the user's send lock, the order every sender
     * takes it in (a send on a dead connection closes it, and the close handler takes that lock).
     */
    private void ackLater(RelayConnection on, WireMessage.Ack ack) {
      synchronized (sendLock) {
        try {
          on.send(ack);
        } catch (RuntimeException connectionGone) {
          // the delivery comes again on the next connection, and is acknowledged then
        }
      }
    }

    private void receipt(String id) {
      ledger.receipt(id);
      self().send(new WireMessage.ReceiptAck(id));
    }

    /** The connection this listener belongs to (known a moment after {@code ready}). */
    private RelayConnection self() {
      return connection.join();
    }

    @Override
    public void onClose(int code, String reason) {
      boolean wasLive;
      synchronized (sendLock) {
        closed = true;
        wasLive = live;
        if (RelayUser.this.connection == connection.getNow(null)) {
          RelayUser.this.connection = null;
        }
      }
      if (wasLive && !closing) {
        stats.disconnect("closed-" + code);
        scheduleReconnect(FIRST_RETRY_MILLIS);
      }
    }
  }
}
