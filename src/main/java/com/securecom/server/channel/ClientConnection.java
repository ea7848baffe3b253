package com.securecom.server.channel;

import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.channel.CloseCodes;
import com.securecom.protocol.channel.ServerHandshake;
import com.securecom.protocol.wire.WireMessage;
import com.securecom.server.audit.AuditLog;
import com.securecom.server.channel.container.InboundFence;
import com.securecom.server.device.DeviceAddress;
import com.securecom.server.device.DeviceRepository;
import com.securecom.server.device.DeviceSets;
import com.securecom.server.ratelimit.TokenBucket;
import com.securecom.server.relay.Answers;
import com.securecom.server.relay.ConnectionRegistry;
import com.securecom.server.relay.DeliveryPump;
import com.securecom.server.relay.GroupCommit;
import com.securecom.server.relay.Receipt;
import com.securecom.server.relay.Recipient;
import com.securecom.server.relay.RelayMetrics;
import com.securecom.server.relay.RelayService;
import com.securecom.server.relay.RelaySettings;
import com.securecom.server.relay.SentCopies;
import com.securecom.server.relay.StoredMessage;
import com.securecom.server.session.AuthenticatedUser;
import com.securecom.server.session.SessionService;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client's WebSocket connection: handshake, then authentication, then relay messages.
 *
 * <p>Frames arrive one at a time on the socket's thread ({@link #onFrame}); sends come from any
 * thread and are sealed and queued under one lock, so frames leave in counter order. Inbound, the
 * container reads the socket through an {@link InboundFence} that refuses an oversized frame from
 * its header (1009) before it is buffered; every frame is checked for size before any decryption,
 * and for rate before it is acted on: {@code ack} and {@code receiptAck} are free up to the number
 * of {@code deliver}s and {@code delivered}s sent on the connection (a client that follows the
 * protocol can always acknowledge everything), everything else takes a token.
 *
 * <p>Outbound, the sealed bytes handed to the container and not yet written are bounded by {@link
 * RelaySettings#maxPendingBytes()}: a client that does not read is closed with 1008 once it is
 * exceeded (its messages stay stored). The stored queue is sent after {@code ready} a page at a
 * time, only while less than half of that bound is in flight, resuming as the client reads; then
 * the receipts the user is owed, then (relay version 2) {@code caughtUp}. Live messages that arrive
 * meanwhile wait until the queue is sent, so a recipient sees each sender's messages in order and
 * each message once per connection. Answers to {@code send} and {@code ping} go out in the order of
 * their frames ({@link Answers}), whether they come from {@link GroupCommit}'s thread once a write
 * committed or from the fast path when the recipient acknowledged; a {@code pong} also waits for
 * every earlier write, so it still means "everything before the ping was handled".
 *
 * <p>The relay reaches the connection only as a {@link Recipient}.
 */
final class ClientConnection implements Recipient {
  private static final Logger LOG = Logger.getLogger(ClientConnection.class.getName());

  /** A sealed frame's bytes beyond its plaintext: counter and tag. */
  private static final int FRAME_OVERHEAD = 24;

  private enum State {
    HELLO,
    AUTH,
    LIVE,
    CLOSED
  }

  static final long UPGRADE_GRACE_MILLIS = 250;

  /**
   * The newest relay message version the server speaks: 5, sends to several users (groups). An
   * {@code auth} offering more is answered with this one.
   */
  static final int SERVED_VERSION = WireMessage.GROUPS_VERSION;

  /**
   * What every connection works with: made once, by {@link ConnectionServices}, and never changed.
   */
  record Shared(
      ServerIdentity identity,
      SessionService sessions,
      RelayService relay,
      ConnectionRegistry registry,
      RelaySettings settings,
      RelayMetrics metrics,
      AuditLog audit,
      DeviceRepository devices,
      DeviceSets deviceSets,
      Clock clock,
      ScheduledExecutorService scheduler) {}

  private final long openedAt;
  private final Session session;
  private final Shared services;
  private final TokenBucket rate;
  private final int maxPendingBytes;
  private final Object sendLock = new Object();
  private long pendingBytes;
  private volatile State state = State.HELLO;
  private ChannelFrames frames;
  private volatile AuthenticatedUser user;
  private volatile int version = 1;
  private final AtomicLong freeAcknowledgements = new AtomicLong();
  private volatile boolean readySent;
  private final InboundFence fence;

  /** The largest frame this connection may send now: larger after {@code ready} at version 4. */
  private volatile int frameLimit;

  private final DeliveryPump deliveries;
  private final LiveHandler handler = new LiveHandler();
  private final SentCopies unacknowledged = new SentCopies();
  private final Answers answers = new Answers(this::send);

  ClientConnection(Session session, Shared services, InboundFence fence) {
    this.session = session;
    this.services = services;
    this.openedAt = services.clock().millis();
    this.rate =
        new TokenBucket(
            services.settings().burst(),
            services.settings().refillPeriod(),
            services.clock().millis());
    this.maxPendingBytes = services.settings().maxPendingBytes();
    this.deliveries = new DeliveryPump(new QueueOfThisDevice(), new Outbox(), maxPendingBytes / 4);
    this.fence = fence;
    this.frameLimit = services.settings().maxFrameBytes();
    if (fence != null) {
      fence.limitAfterAuth(services.settings().maxFrameBytes());
      fence.onOversize(
          () -> {
            services.metrics().rejected(CloseCodes.TOO_BIG);
            close(CloseCodes.TOO_BIG, "frame too big");
          });
      fence.onUnmasked(
          () -> {
            services.metrics().rejected(CloseCodes.PROTOCOL_ERROR);
            close(CloseCodes.PROTOCOL_ERROR, "unmasked frame");
          });
    }
  }

  /** The authenticated device (its token's), or null before authentication. */
  @Override
  public DeviceAddress device() {
    AuthenticatedUser u = user;
    return u == null ? null : u.device();
  }

  /**
   * True once {@code ready} went out on a version 2 connection: server notices such as preKeysLow
   * may follow.
   */
  private boolean readyForNotices() {
    return readySent && version >= 2;
  }

  @Override
  public byte[] tokenHash() {
    return user.tokenHash();
  }

  @Override
  public long sessionExpiresAt() {
    return user.expiresAt();
  }

  void onFrame(byte[] frame) {
    try {
      if (frame.length > frameLimit) {
        throw new ChannelException(CloseCodes.TOO_BIG, "frame too big");
      }
      switch (state) {
        case HELLO -> {
          takeToken();
          handshake(frame);
        }
        case AUTH -> {
          takeToken();
          authenticate(ofThisVersion(frames.open(frame)));
        }
        case LIVE -> dispatch(ofThisVersion(frames.open(frame)));
        case CLOSED -> {}
      }
    } catch (ChannelException e) {
      services.metrics().rejected(e.closeCode());
      close(e.closeCode(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Relay failure on a connection: " + e.getClass().getName());
      LOG.log(Level.FINE, "Relay failure details", e);
      close(CloseCodes.SERVER_ERROR, "server error");
    }
  }

  /**
   * A message with a version 4 member or type (linked devices) on a connection below version 4 (or
   * before {@code ready}) is malformed, 1007: to such a connection those members do not exist, and
   * before the codec knew them such a frame was malformed or carried them as ignored members
   * (docs/protocol.md, "Version 4 (linked devices): not yet served").
   */
  private WireMessage ofThisVersion(WireMessage message) throws ChannelException {
    int needs = message.minimumVersion();
    if (needs >= WireMessage.DEVICES_VERSION && needs > version) {
      throw new ChannelException(CloseCodes.MALFORMED, "message of relay version " + needs);
    }
    return message;
  }

  private void takeToken() throws ChannelException {
    if (!rate.tryTake(services.clock().millis())) {
      throw new ChannelException(CloseCodes.RATE_LIMITED, "rate limited");
    }
  }

  /**
   * An acknowledgement is free while the connection has sent more deliveries and receipts than it
   * was answered.
   */
  private void takeTokenUnlessOwed() throws ChannelException {
    long owed;
    do {
      owed = freeAcknowledgements.get();
      if (owed <= 0) {
        takeToken();
        return;
      }
    } while (!freeAcknowledgements.compareAndSet(owed, owed - 1));
  }

  private void handshake(byte[] clientHello) throws ChannelException {
    long start = System.nanoTime();
    ServerHandshake.Result result = services.identity().handshake().respond(clientHello);
    services.metrics().handshake(System.nanoTime() - start);
    synchronized (sendLock) {
      frames = new ChannelFrames(result.channel());
      state = State.AUTH;
      session.getAsyncRemote().sendBinary(ByteBuffer.wrap(result.serverHello()));
    }
  }

  private void authenticate(WireMessage message) throws ChannelException {
    if (!(message instanceof WireMessage.Auth auth)) {
      throw new ChannelException(CloseCodes.UNAUTHORIZED, "authenticate first");
    }
    user =
        services
            .sessions()
            .authenticate(auth.token())
            .orElseThrow(
                () -> new ChannelException(CloseCodes.UNAUTHORIZED, "invalid or expired token"));
    int spoken = Math.min(auth.version(), SERVED_VERSION);
    if (spoken < WireMessage.DEVICES_VERSION && hasOtherDevices()) {
      throw new ChannelException(
          CloseCodes.UPGRADE_REQUIRED,
          "this account has linked devices: relay message version 4 is required");
    }
    version = spoken;
    answers.speak(version);
    if (version >= WireMessage.DEVICES_VERSION) {
      // A version 4 send carries one envelope per device: up to max-send-frame-bytes.
      frameLimit = services.settings().maxSendFrameBytes();
      if (fence != null) {
        fence.limitAfterAuth(frameLimit);
      }
    }
    state = State.LIVE;
    // ready first: once registered, other threads may send this connection a receipt or a notice,
    // and the client must see ready before anything else. Nothing is lost by registering after
    // ready: a receipt committed before the registration is read by the catch-up, which starts
    // after it.
    send(
        version >= WireMessage.DEVICES_VERSION
            ? new WireMessage.Ready(user.username(), version, user.device().deviceId())
            : new WireMessage.Ready(user.username(), version));
    services.registry().register(this);
    readySent = true;
    deliveries.start();
    recordSeen();
  }

  /** True if the authenticated account has a device besides device 1 (or not device 1 at all). */
  private boolean hasOtherDevices() {
    return services
        .deviceSets()
        .current(user.username())
        .map(set -> !set.ids().equals(List.of(DeviceAddress.FIRST_ID)))
        .orElse(false);
  }

  /**
   * Records when the device connected (its owner sees it in {@code GET /api/devices}); a failure to
   * record it costs the connection nothing.
   */
  private void recordSeen() {
    try {
      services.devices().seen(user.device(), services.clock().millis());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not record a device as seen: " + e.getClass().getName());
    }
  }

  /**
   * Acts on a message after {@code ready}: {@code ack} and {@code receiptAck} take a token unless
   * owed, everything else takes one; then a server message (or a second {@code auth}) closes the
   * connection with 1008.
   */
  private void dispatch(WireMessage message) throws ChannelException {
    if (!(message instanceof WireMessage.ClientMessage fromClient)) {
      takeToken();
      throw new ChannelException(CloseCodes.POLICY, "unexpected message type " + message.type());
    }
    fromClient.accept(handler);
  }

  /** What each client message means on a live connection. */
  private final class LiveHandler implements WireMessage.ClientMessage.Visitor<ChannelException> {
    @Override
    public void auth(WireMessage.Auth auth) throws ChannelException {
      takeToken();
      throw new ChannelException(CloseCodes.POLICY, "unexpected message type " + auth.type());
    }

    @Override
    public void send(WireMessage.Send send) throws ChannelException {
      takeToken();
      services.relay().send(user.device(), version, send, answers.next());
    }

    @Override
    public void ack(WireMessage.Ack ack) throws ChannelException {
      takeTokenUnlessOwed();
      // Before relay message version 4 an ack names the sending user only: the device is the one
      // this connection delivered the message from.
      DeviceAddress sender =
          ack.device() == 0
              ? unacknowledged.senderOf(ack.from(), ack.id())
              : new DeviceAddress(ack.from(), ack.device());
      services
          .relay()
          .acknowledge(
              user.device(), sender, ack.id(), unacknowledged.acknowledged(sender, ack.id()));
    }

    @Override
    public void receiptAck(WireMessage.ReceiptAck receiptAck) throws ChannelException {
      takeTokenUnlessOwed();
      if (!answers.receiptNotStored(receiptAck.id())) {
        services.relay().receiptSeen(user.device(), receiptAck);
      }
    }

    @Override
    public void ping(WireMessage.Ping ping) throws ChannelException {
      takeToken();
      Answers.Slot slot = answers.next();
      services.relay().afterPending(() -> slot.answer(new WireMessage.Pong()));
    }
  }

  /**
   * A message stored for this user while it is connected (from another user's thread); see {@link
   * DeliveryPump}.
   */
  @Override
  public void offer(StoredMessage message) {
    deliveries.offer(message);
  }

  /**
   * Another node of the cluster died: what it stored for this user but never handed over (a
   * message, or the receipt of an acknowledgement) is in the database only, so the stored queue and
   * the owed receipts are sent once more, through the same paced catch-up. Messages already sent on
   * this connection are not sent twice (receipts may be); {@code caughtUp} is not repeated.
   */
  @Override
  public void recover() {
    if (state == State.LIVE) {
      deliveries.recover();
    }
  }

  @Override
  public boolean deliverNow(StoredMessage message) {
    return state == State.LIVE && deliveries.offerNow(message);
  }

  @Override
  public void receipt(Receipt receipt) {
    send(
        version >= WireMessage.DEVICES_VERSION
            ? new WireMessage.Delivered(
                receipt.id(), receipt.recipient(), receipt.recipientDevice())
            : new WireMessage.Delivered(receipt.id(), receipt.recipient()));
  }

  @Override
  public void deviceLinked(long serial) {
    if (version >= WireMessage.DEVICES_VERSION) {
      devicesChanged(serial);
    } else {
      close(CloseCodes.UPGRADE_REQUIRED, "this account has linked devices");
    }
  }

  @Override
  public void devicesChanged(long serial) {
    if (readySent && version >= WireMessage.DEVICES_VERSION) {
      send(new WireMessage.DevicesChanged(serial));
    }
  }

  @Override
  public void preKeysLow(long count) {
    if (readyForNotices()) {
      send(new WireMessage.PreKeysLow(Long.toString(count)));
    }
  }

  @Override
  public void connectedElsewhere() {
    close(CloseCodes.CONNECTED_ELSEWHERE, "connected elsewhere");
  }

  @Override
  public void deviceRemoved() {
    close(CloseCodes.DEVICE_REMOVED, "device removed");
  }

  @Override
  public void loggedOut() {
    close(CloseCodes.UNAUTHORIZED, "logged out");
  }

  @Override
  public void sessionExpired() {
    close(CloseCodes.UNAUTHORIZED, "session expired");
  }

  private boolean hasRoom() {
    synchronized (sendLock) {
      return pendingBytes < maxPendingBytes / 2;
    }
  }

  private void push(StoredMessage m) {
    if (unacknowledged.sendStored(m)) {
      send(m.deliver(version >= WireMessage.DEVICES_VERSION));
    }
  }

  private boolean pushBeforeStore(StoredMessage m) {
    if (!unacknowledged.sendBeforeStore(m)) {
      return false;
    }
    send(m.deliver(version >= WireMessage.DEVICES_VERSION));
    return true;
  }

  /**
   * Seals and queues one message. A client whose unread frames would exceed {@link
   * RelaySettings#maxPendingBytes()} is closed with 1008 instead (its messages stay stored).
   */
  void send(WireMessage message) {
    byte[] plaintext = ChannelFrames.encode(message);
    int size = plaintext.length + FRAME_OVERHEAD;
    synchronized (sendLock) {
      if (state == State.CLOSED) {
        return;
      }
      if (pendingBytes + size > maxPendingBytes) {
        services.metrics().rejected(CloseCodes.POLICY);
        close(CloseCodes.POLICY, "not reading fast enough");
        return;
      }
      pendingBytes += size;
      if (message instanceof WireMessage.Deliver || message instanceof WireMessage.Delivered) {
        freeAcknowledgements.incrementAndGet();
      }
      if (queue(session, ByteBuffer.wrap(frames.seal(plaintext)), result -> sent(size, result))) {
        return;
      }
      pendingBytes -= size;
    }
    closed();
  }

  /**
   * Queues {@code frame} on {@code session}'s socket; false if the socket has already closed. Tyrus
   * throws {@link IllegalStateException} then, before this connection's {@code @OnClose} has run,
   * and the caller is often another connection (a {@code relayed} for this one's sender, a {@code
   * deliver} from another's {@code send}): that connection did nothing wrong and must not be closed
   * with 1011. What was not sent is not lost: an unacknowledged {@code deliver} is stored when its
   * window ends, and a sender without its {@code relayed} resends on its next connection.
   */
  static boolean queue(Session session, ByteBuffer frame, SendHandler then) {
    try {
      session.getAsyncRemote().sendBinary(frame, then);
      return true;
    } catch (IllegalStateException socketClosed) {
      return false;
    }
  }

  private void sent(int size, SendResult result) {
    synchronized (sendLock) {
      pendingBytes -= size;
    }
    if (!result.isOK()) {
      close(CloseCodes.SERVER_ERROR, "send failed");
    } else if (deliveries.shouldResume()) {
      services.scheduler().execute(deliveries::resume);
    }
  }

  /**
   * Ends the connection: from now on nothing is read or sent, and the socket is closed with {@code
   * code}. A socket younger than {@link #UPGRADE_GRACE_MILLIS} is closed only once that much time
   * has passed: Payara Micro 6 can recycle the HTTP request of a WebSocket upgrade twice when the
   * socket closes while the upgrade request is still finishing, and the recycled objects then break
   * unrelated HTTP requests with 500s (see Payara issue 5432).
   */
  void close(int code, String reason) {
    synchronized (sendLock) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
    }
    services.registry().unregister(this);
    try {
      services.audit().channelClosed(code);
    } catch (RuntimeException e) {
      // Counting must never keep a connection open: the close may come from a grid notice.
      LOG.log(Level.WARNING, "Could not count a channel close: " + e.getClass().getName());
    }
    long wait = UPGRADE_GRACE_MILLIS - (services.clock().millis() - openedAt);
    if (wait > 0) {
      services.scheduler().schedule(() -> closeSocket(code, reason), wait, TimeUnit.MILLISECONDS);
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
    services.registry().unregister(this);
  }

  /** What the server holds for this connection's device: its queue and the receipts it is owed. */
  private final class QueueOfThisDevice implements DeliveryPump.Source {
    @Override
    public List<StoredMessage> queued(long afterSeq, int limit) {
      return services.relay().queued(user.device(), afterSeq, limit);
    }

    @Override
    public List<Receipt> receiptsOwed() {
      return services.relay().receiptsOwed(user.device());
    }
  }

  /** This connection, as the delivery pump writes to it. */
  private final class Outbox implements DeliveryPump.Outbox {
    @Override
    public boolean isOpen() {
      return state == State.LIVE;
    }

    @Override
    public boolean hasRoom() {
      return ClientConnection.this.hasRoom();
    }

    @Override
    public void deliver(StoredMessage message) {
      push(message);
    }

    @Override
    public boolean deliverBeforeStore(StoredMessage message) {
      return pushBeforeStore(message);
    }

    @Override
    public void receipt(Receipt receipt) {
      ClientConnection.this.receipt(receipt);
    }

    @Override
    public void caughtUp() {
      if (version >= 2) {
        send(new WireMessage.CaughtUp());
      }
    }

    @Override
    public void failed(RuntimeException cause) {
      LOG.log(Level.WARNING, "Relay catch-up failed: " + cause.getClass().getName());
      LOG.log(Level.FINE, "Relay catch-up failure details", cause);
      close(CloseCodes.SERVER_ERROR, "server error");
    }
  }
}
