package com.securecom.client.net;

import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.channel.ClientHandshake;
import com.securecom.protocol.channel.SecureChannel;
import com.securecom.protocol.wire.MalformedMessageException;
import com.securecom.protocol.wire.WireCodec;
import com.securecom.protocol.wire.WireMessage;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.glassfish.tyrus.client.ClientManager;

/**
 * The client's end of the channel: handshake against the pinned server key, authentication with the
 * bearer token, then sealed relay messages. Incoming messages go to the {@link Listener} on the
 * socket's thread, one at a time and in order; {@link #send} may be called from any thread. An idle
 * connection sends a {@code ping} every minute.
 */
public final class RelayConnection implements RelayLink {
  private static final WireCodec CODEC = new WireCodec();
  private static final Duration CONNECT_WAIT = Duration.ofSeconds(20);

  /** Receives what the server sends. */
  public interface Listener {
    void onMessage(WireMessage message);

    /** The connection ended; {@code code} is the WebSocket close code (see docs/protocol.md). */
    void onClose(int code, String reason);

    /**
     * Everything the server had queued for this user when it connected has reached {@link
     * #onMessage} (relay version 2's {@code caughtUp}); called once, on the socket's thread, after
     * those messages.
     */
    default void onCaughtUp() {}
  }

  private final Object sendLock = new Object();
  private final CompletableFuture<WireMessage.Ready> ready = new CompletableFuture<>();

  /** The relay message version this connection offered: messages above it are malformed. */
  private volatile int offered = WireMessage.VERSION;

  private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
  private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
  private final ScheduledExecutorService keepAlive =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "securecom-keepalive");
            t.setDaemon(true);
            return t;
          });
  private final Queue<CompletableFuture<Void>> pongs = new ConcurrentLinkedQueue<>();
  private Session session;
  private volatile SecureChannel channel;
  private volatile long handshakeNanos;

  private RelayConnection() {}

  /**
   * Connects, runs the handshake, authenticates and waits for {@code ready}.
   *
   * @throws ChannelException if the server is not the pinned one (1008) or refuses the token (4401)
   * @throws ServerUnreachableException if no connection could be made
   * @throws InsecureTransportException for plain {@code ws://} to a host that is not this machine
   *     (nothing is sent)
   */
  public static RelayConnection open(
      URI channelUri, byte[] pinnedServerKey, String token, Listener listener)
      throws ChannelException {
    return open(ClientManager.createClient(), channelUri, pinnedServerKey, token, listener);
  }

  /**
   * The same over a given Tyrus client, so that many connections of one process (the load
   * generator) share one transport and its threads. A shared client shuts its executors down when
   * its last session closes.
   */
  public static RelayConnection open(
      ClientManager client, URI channelUri, byte[] pinnedServerKey, String token, Listener listener)
      throws ChannelException {
    return open(client, channelUri, pinnedServerKey, token, WireMessage.VERSION, listener);
  }

  /**
   * The same, offering relay message {@code version} (1 to {@link WireMessage#VERSION}) instead of
   * the newest: the load generator measures older versions with it.
   */
  public static RelayConnection open(
      ClientManager client,
      URI channelUri,
      byte[] pinnedServerKey,
      String token,
      int version,
      Listener listener)
      throws ChannelException {
    if (version < 1 || version > WireMessage.VERSION) {
      throw new IllegalArgumentException("relay version must be 1 to " + WireMessage.VERSION);
    }
    TransportPolicy.require(channelUri);
    RelayConnection connection = new RelayConnection();
    connection.connect(client, channelUri, pinnedServerKey, token, version, listener);
    return connection;
  }

  private void connect(
      ClientManager client,
      URI uri,
      byte[] pinnedServerKey,
      String token,
      int version,
      Listener listener)
      throws ChannelException {
    offered = version;
    ClientHandshake handshake = new ClientHandshake(pinnedServerKey, new SecureRandom());
    CompletableFuture<byte[]> serverHello = new CompletableFuture<>();
    Endpoint endpoint =
        new Endpoint() {
          @Override
          public void onOpen(Session s, EndpointConfig config) {
            s.setMaxBinaryMessageBufferSize(2 << 20);
            s.addMessageHandler(
                byte[].class,
                (MessageHandler.Whole<byte[]>)
                    frame -> {
                      if (channel == null) {
                        serverHello.complete(frame);
                        return;
                      }
                      receive(frame, listener);
                    });
          }

          @Override
          public void onClose(Session s, CloseReason reason) {
            keepAlive.shutdownNow();
            closed.complete(reason);
            serverHello.completeExceptionally(new IOException("closed"));
            ChannelException ended =
                new ChannelException(reason.getCloseCode().getCode(), reason.getReasonPhrase());
            pongs.forEach(p -> p.completeExceptionally(ended));
            ready.completeExceptionally(
                new ChannelException(reason.getCloseCode().getCode(), reason.getReasonPhrase()));
            caughtUp.completeExceptionally(ended);
            listener.onClose(reason.getCloseCode().getCode(), reason.getReasonPhrase());
          }
        };
    try {
      session =
          client.connectToServer(endpoint, ClientEndpointConfig.Builder.create().build(), uri);
    } catch (Exception e) {
      throw UntrustedCertificateException.orUnreachable(uri.toString(), e);
    }
    long start = System.nanoTime();
    sendRaw(handshake.hello());
    byte[] hello = await(serverHello);
    channel = handshake.finish(hello);
    handshakeNanos = System.nanoTime() - start;
    send(new WireMessage.Auth(token, version));
    await(ready);
    keepAlive.scheduleAtFixedRate(() -> send(new WireMessage.Ping()), 60, 60, TimeUnit.SECONDS);
  }

  private void receive(byte[] frame, Listener listener) {
    WireMessage message;
    try {
      message = CODEC.decode(channel.open(frame));
    } catch (ChannelException e) {
      close(e.closeCode(), e.getMessage());
      return;
    } catch (MalformedMessageException e) {
      close(1007, "malformed message");
      return;
    }
    if (message.minimumVersion() > offered) {
      // a message of a version this connection does not speak (docs/protocol.md, "Version 4"): as
      // malformed as it was before the codec knew it
      close(1007, "malformed message");
      return;
    }
    if (message instanceof WireMessage.ServerMessage fromServer) {
      fromServer.accept(new Inbound(listener));
    } else {
      listener.onMessage(
          message); // a client's message, which no listener acts on (as before the visitor)
    }
  }

  /**
   * What each server message means to the connection: the first {@code ready} completes the
   * authentication, {@code caughtUp} and {@code pong} are the connection's own; everything else
   * goes to the listener.
   */
  private final class Inbound implements WireMessage.ServerMessage.Visitor<RuntimeException> {
    private final Listener listener;

    Inbound(Listener listener) {
      this.listener = listener;
    }

    @Override
    public void ready(WireMessage.Ready r) {
      if (!ready.complete(r)) {
        listener.onMessage(r);
      }
    }

    @Override
    public void caughtUp(WireMessage.CaughtUp c) {
      if (caughtUp.complete(null)) {
        listener.onCaughtUp();
      }
    }

    @Override
    public void pong(WireMessage.Pong p) {
      CompletableFuture<Void> waiting = pongs.poll();
      if (waiting != null) {
        waiting.complete(null);
      }
    }

    @Override
    public void accepted(WireMessage.Accepted m) {
      listener.onMessage(m);
    }

    @Override
    public void deliver(WireMessage.Deliver m) {
      listener.onMessage(m);
    }

    @Override
    public void delivered(WireMessage.Delivered m) {
      listener.onMessage(m);
    }

    @Override
    public void relayed(WireMessage.Relayed m) {
      listener.onMessage(m);
    }

    @Override
    public void error(WireMessage.Error m) {
      listener.onMessage(m);
    }

    @Override
    public void preKeysLow(WireMessage.PreKeysLow m) {
      listener.onMessage(m);
    }

    @Override
    public void devicesChanged(WireMessage.DevicesChanged m) {
      listener.onMessage(m); // never at version 3: refused above
    }
  }

  private <T> T await(CompletableFuture<T> future) throws ChannelException {
    try {
      return future.get(CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ChannelException ce) {
        throw ce;
      }
      CloseReason reason = closed.getNow(null);
      if (reason != null) {
        throw new ChannelException(reason.getCloseCode().getCode(), reason.getReasonPhrase());
      }
      throw new ServerUnreachableException(String.valueOf(session.getRequestURI()), e.getCause());
    } catch (TimeoutException e) {
      close(1000, "timeout");
      throw new ServerUnreachableException(String.valueOf(session.getRequestURI()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerUnreachableException(String.valueOf(session.getRequestURI()), e);
    }
  }

  /** The user the server authenticated this connection as. */
  public String username() {
    return ready.join().username();
  }

  /** The device the server authenticated this connection as (1 below relay version 4). */
  @Override
  public int device() {
    int device = ready.join().device();
    return device == 0 ? 1 : device;
  }

  /** How long the handshake took (for {@code --verbose}). */
  @Override
  public Duration handshakeTime() {
    return Duration.ofNanos(handshakeNanos);
  }

  /** Seals and sends one message. */
  @Override
  public void send(WireMessage message) {
    byte[] plaintext = CODEC.encode(message);
    synchronized (sendLock) {
      sendRaw(channel.seal(plaintext));
    }
  }

  private void sendRaw(byte[] frame) {
    try {
      session.getBasicRemote().sendBinary(ByteBuffer.wrap(frame));
    } catch (IOException | IllegalStateException e) {
      throw new ServerUnreachableException(String.valueOf(session.getRequestURI()), e);
    }
  }

  /**
   * Waits until the server has handled everything sent so far and the listener has seen everything
   * the server sent before that: the server answers a ping in order, and messages reach the
   * listener in order.
   */
  @Override
  public void sync() throws ChannelException {
    awaitCaughtUp();
    CompletableFuture<Void> pong = new CompletableFuture<>();
    synchronized (sendLock) {
      pongs.add(pong);
      sendRaw(channel.seal(CODEC.encode(new WireMessage.Ping())));
    }
    await(pong);
  }

  /**
   * Waits until the server has sent everything it had queued at connect time. A relay version 2
   * server paces that backlog by how fast this client reads, so a {@code pong} alone does not mean
   * it was all sent; the server then says {@code caughtUp}. A version 1 server sent it all before
   * answering anything, so there is nothing to wait for.
   */
  private void awaitCaughtUp() throws ChannelException {
    if (ready.join().version() < 2) {
      return;
    }
    try {
      caughtUp.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ChannelException ce) {
        throw ce;
      }
      throw new ServerUnreachableException(String.valueOf(session.getRequestURI()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerUnreachableException(String.valueOf(session.getRequestURI()), e);
    }
  }

  public boolean isOpen() {
    return session != null && session.isOpen() && !closed.isDone();
  }

  @Override
  public int awaitCloseCode() throws InterruptedException {
    return awaitClose().getCloseCode().getCode();
  }

  /** Waits until the server or the network closes the connection. */
  public CloseReason awaitClose() throws InterruptedException {
    try {
      return closed.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  private void close(int code, String reason) {
    try {
      session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
    } catch (IOException | IllegalStateException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    keepAlive.shutdownNow();
    if (session != null && session.isOpen()) {
      close(1000, "bye");
    }
  }
}
