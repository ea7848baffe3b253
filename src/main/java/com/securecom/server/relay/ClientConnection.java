package com.securecom.server.relay;

import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.channel.CloseCodes;
import com.securecom.protocol.channel.SecureChannel;
import com.securecom.protocol.channel.ServerHandshake;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.wire.MalformedMessageException;
import com.securecom.protocol.wire.WireCodec;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.server.ratelimit.TokenBucket;
import com.securecom.server.session.AuthenticatedUser;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client's WebSocket connection: handshake, then authentication, then relay messages.
 *
 * <p>Frames arrive one at a time on the socket's thread ({@link #onFrame}); sends come from any thread and are
 * sealed and queued under one lock, so frames leave in counter order. Every frame is checked for size and rate
 * before any decryption. Deliveries wait until the connection has caught up with its stored queue, so a recipient
 * sees each sender's messages in order and each message once per connection. Sends, acknowledgements and receipt
 * acknowledgements are answered from {@link GroupCommit}'s thread once their write committed; a {@code pong} waits
 * for every earlier write, so it still means "everything before the ping was handled".
 */
final class ClientConnection {
  private static final Logger LOG = Logger.getLogger(ClientConnection.class.getName());
  private static final WireCodec CODEC = new WireCodec();

  private enum State { HELLO, AUTH, LIVE, CLOSED }

  static final long UPGRADE_GRACE_MILLIS = 250;

  private final long openedAt = System.currentTimeMillis();
  private final Session session;
  private final ConnectionServices services;
  private final TokenBucket rate;
  private final Object sendLock = new Object();
  private final AtomicInteger pendingSends = new AtomicInteger();
  private volatile State state = State.HELLO;
  private SecureChannel channel;
  private volatile AuthenticatedUser user;
  private volatile boolean readySent;

  private final Object deliveryLock = new Object();
  private List<StoredMessage> heldBack = new ArrayList<>();
  private final Set<String> unacknowledged = ConcurrentHashMap.newKeySet();

  ClientConnection(Session session, ConnectionServices services) {
    this.session = session;
    this.services = services;
    this.rate = new TokenBucket(services.settings.burst(), services.settings.refillPeriod(), services.clock.millis());
  }

  String username() {
    AuthenticatedUser u = user;
    return u == null ? null : u.username();
  }

  /** True once {@code ready} was queued: notices sent from now on cannot overtake it. */
  boolean readySent() {
    return readySent;
  }

  byte[] tokenHash() {
    return user.tokenHash();
  }

  long sessionExpiresAt() {
    return user.expiresAt();
  }

  void onFrame(byte[] frame) {
    try {
      if (frame.length > services.settings.maxFrameBytes()) {
        throw new ChannelException(CloseCodes.TOO_BIG, "frame too big");
      }
      if (!rate.tryTake(services.clock.millis())) {
        throw new ChannelException(CloseCodes.RATE_LIMITED, "rate limited");
      }
      switch (state) {
        case HELLO -> handshake(frame);
        case AUTH -> authenticate(decode(channel.open(frame)));
        case LIVE -> dispatch(decode(channel.open(frame)));
        case CLOSED -> { }
      }
    } catch (ChannelException e) {
      services.metrics.rejected(e.closeCode());
      close(e.closeCode(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Relay failure on a connection: " + e.getClass().getName());
      LOG.log(Level.FINE, "Relay failure details", e);
      close(CloseCodes.SERVER_ERROR, "server error");
    }
  }

  private void handshake(byte[] clientHello) throws ChannelException {
    long start = System.nanoTime();
    ServerHandshake.Result result = services.identity.handshake().respond(clientHello);
    services.metrics.handshake(System.nanoTime() - start);
    synchronized (sendLock) {
      channel = result.channel();
      state = State.AUTH;
      session.getAsyncRemote().sendBinary(ByteBuffer.wrap(result.serverHello()));
    }
  }

  private void authenticate(WireMessage message) throws ChannelException {
    if (!(message instanceof WireMessage.Auth auth)) {
      throw new ChannelException(CloseCodes.UNAUTHORIZED, "authenticate first");
    }
    user = services.sessions.authenticate(auth.token())
        .orElseThrow(() -> new ChannelException(CloseCodes.UNAUTHORIZED, "invalid or expired token"));
    state = State.LIVE;
    services.registry.register(this);
    send(new WireMessage.Ready(user.username()));
    readySent = true;
    synchronized (deliveryLock) {
      services.relay.catchUp(this);
      heldBack.forEach(this::push);
      heldBack = null;
    }
  }

  private void dispatch(WireMessage message) throws ChannelException {
    String me = user.username();
    if (message instanceof WireMessage.Send s) {
      services.relay.send(me, s, this::send);
    } else if (message instanceof WireMessage.Ack ack) {
      unacknowledged.remove(ack.from() + '\u0000' + ack.id());
      services.relay.acknowledge(me, ack);
    } else if (message instanceof WireMessage.ReceiptAck receiptAck) {
      services.relay.receiptSeen(me, receiptAck);
    } else if (message instanceof WireMessage.Ping) {
      services.relay.afterPending(() -> send(new WireMessage.Pong()));
    } else {
      throw new ChannelException(CloseCodes.POLICY, "unexpected message type " + message.type());
    }
  }

  private static WireMessage decode(byte[] plaintext) throws ChannelException {
    try {
      return CODEC.decode(plaintext);
    } catch (MalformedMessageException e) {
      throw new ChannelException(CloseCodes.MALFORMED, e.getMessage());
    }
  }

  /** A message stored for this user while it is connected (from another user's thread). */
  void offer(StoredMessage message) {
    synchronized (deliveryLock) {
      if (heldBack != null) {
        heldBack.add(message);
      } else {
        push(message);
      }
    }
  }

  /** A message from the stored queue, during catch-up. */
  void deliverQueued(StoredMessage message) {
    push(message);
  }

  private void push(StoredMessage m) {
    if (unacknowledged.add(m.key())) {
      send(new WireMessage.Deliver(
          m.id(), m.sender(), Bytes.base64(m.envelope()), Instant.ofEpochMilli(m.sentAt()).toString()));
    }
  }

  /** Seals and queues one message; a connection whose peer does not read is closed (its messages stay stored). */
  void send(WireMessage message) {
    byte[] plaintext = CODEC.encode(message);
    synchronized (sendLock) {
      if (state == State.CLOSED) {
        return;
      }
      if (pendingSends.incrementAndGet() > services.settings.maxPendingSends()) {
        pendingSends.decrementAndGet();
        close(CloseCodes.POLICY, "not reading fast enough");
        return;
      }
      session.getAsyncRemote().sendBinary(ByteBuffer.wrap(channel.seal(plaintext)), result -> {
        pendingSends.decrementAndGet();
        if (!result.isOK()) {
          close(CloseCodes.SERVER_ERROR, "send failed");
        }
      });
    }
  }

  /**
   * Ends the connection: from now on nothing is read or sent, and the socket is closed with {@code code}. A socket
   * younger than {@link #UPGRADE_GRACE_MILLIS} is closed only once that much time has passed: Payara Micro 6 can
   * recycle the HTTP request of a WebSocket upgrade twice when the socket closes while the upgrade request is still
   * finishing, and the recycled objects then break unrelated HTTP requests with 500s (see Payara issue 5432).
   */
  void close(int code, String reason) {
    synchronized (sendLock) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
    }
    services.registry.unregister(this);
    long wait = UPGRADE_GRACE_MILLIS - (System.currentTimeMillis() - openedAt);
    if (wait > 0) {
      services.scheduler.schedule(() -> closeSocket(code, reason), wait, TimeUnit.MILLISECONDS);
    } else {
      closeSocket(code, reason);
    }
  }

  private void closeSocket(int code, String reason) {
    try {
      session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
    } catch (IOException | IllegalStateException alreadyClosed) {
      // the socket is gone either way
    }
  }

  /** The socket closed (by the peer, by us, or by the container). */
  void closed() {
    synchronized (sendLock) {
      state = State.CLOSED;
    }
    services.registry.unregister(this);
  }
}
