package com.securecom.it.support;

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
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.glassfish.tyrus.client.ClientManager;

/**
 * The client half of the channel over a real Tyrus WebSocket client, as a test drives it: handshake
 * with the pinned server key, authenticate, then send and receive relay messages. Exposes raw
 * frames for tamper tests.
 */
public final class ChannelClient implements AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration CONTAINER_SETTLE = Duration.ofMillis(400);
  private static final WireCodec CODEC = new WireCodec();

  /**
   * Kept for the connection's lifetime: a client manager that becomes unreachable may be cleaned up
   * with it.
   */
  private final ClientManager client = ClientManager.createClient();

  private final Session session;
  private final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
  private SecureChannel channel;
  private WireMessage.Ready ready;

  private ChannelClient(URI uri) {
    Endpoint endpoint =
        new Endpoint() {
          @Override
          public void onOpen(Session session, EndpointConfig config) {
            session.setMaxBinaryMessageBufferSize(4 << 20);
            session.addMessageHandler(byte[].class, (MessageHandler.Whole<byte[]>) frames::add);
          }

          @Override
          public void onClose(Session session, CloseReason reason) {
            closed.complete(reason);
          }
        };
    try {
      // One client manager per connection: a shared one shuts its executors down when its last
      // session closes.
      session =
          client.connectToServer(endpoint, ClientEndpointConfig.Builder.create().build(), uri);
    } catch (Exception e) {
      throw new IllegalStateException("cannot connect to " + uri, e);
    }
  }

  /** Opens a socket without a handshake. */
  public static ChannelClient connect(Api api) {
    return new ChannelClient(api.channelUri());
  }

  /**
   * Opens a socket, runs the handshake against the server's published key and authenticates (relay
   * version 1).
   */
  public static ChannelClient open(Api api, String token) {
    return open(api, token, 1);
  }

  /** The same, announcing relay message {@code version} in {@code auth}. */
  public static ChannelClient open(Api api, String token, int version) {
    ChannelClient client = connect(api);
    client.handshake(api.serverKey());
    client.send(new WireMessage.Auth(token, version));
    WireMessage ready = client.next();
    if (!(ready instanceof WireMessage.Ready r)) {
      throw new AssertionError("expected ready, got " + ready + " / close " + client.closeReason());
    }
    client.ready = r;
    return client;
  }

  /** A connection offering relay message {@code version}, past its catch-up ({@code caughtUp}). */
  public static ChannelClient caughtUp(Api api, String token, int version) {
    ChannelClient client = open(api, token, version);
    client.expect(WireMessage.CaughtUp.class);
    return client;
  }

  /** The server's {@code ready}. */
  public WireMessage.Ready ready() {
    return ready;
  }

  public void handshake(byte[] pinnedServerKey) {
    ClientHandshake handshake = new ClientHandshake(pinnedServerKey, new SecureRandom());
    sendRaw(handshake.hello());
    byte[] serverHello = nextFrame(WAIT);
    if (serverHello == null) {
      throw new AssertionError("no server hello; close " + closeReason());
    }
    try {
      channel = handshake.finish(serverHello);
    } catch (ChannelException e) {
      throw new AssertionError("handshake failed: " + e.getMessage(), e);
    }
  }

  public void authenticate(String token) {
    send(new WireMessage.Auth(token));
  }

  public void send(WireMessage message) {
    sendRaw(seal(message));
  }

  /** Seals a message as the next frame without sending it (the counter advances). */
  public byte[] seal(WireMessage message) {
    return channel.seal(CODEC.encode(message));
  }

  /** Seals arbitrary plaintext as the next frame without sending it. */
  public byte[] sealPlaintext(byte[] plaintext) {
    return channel.seal(plaintext);
  }

  public void sendRaw(byte[] frame) {
    try {
      session.getBasicRemote().sendBinary(ByteBuffer.wrap(frame));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void sendText(String text) {
    try {
      session.getBasicRemote().sendText(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] nextFrame(Duration timeout) {
    try {
      return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The next message, or null if none came within {@code timeout}. */
  public WireMessage next(Duration timeout) {
    byte[] frame = nextFrame(timeout);
    if (frame == null) {
      return null;
    }
    try {
      return CODEC.decode(channel.open(frame));
    } catch (ChannelException | MalformedMessageException e) {
      throw new AssertionError("server sent a bad frame: " + e.getMessage(), e);
    }
  }

  public WireMessage next() {
    return next(WAIT);
  }

  /** The next message, which must be of {@code type}. */
  public <T extends WireMessage> T expect(Class<T> type) {
    WireMessage message = next();
    if (!type.isInstance(message)) {
      throw new AssertionError(
          "expected "
              + type.getSimpleName()
              + ", got "
              + message
              + " / close "
              + (closed.isDone() ? closeReason() : "none"));
    }
    return type.cast(message);
  }

  /**
   * Waits until the server has handled every frame sent so far: frames are handled in order, so its
   * answer to a ping comes after them. Any other message before the pong fails the test.
   */
  public void sync() {
    send(new WireMessage.Ping());
    expect(WireMessage.Pong.class);
  }

  /**
   * Waits for the server to close the socket and returns the reason. Then pauses briefly: Payara
   * Micro 6 recycles a closed WebSocket's HTTP objects after the close frame is out, and an upgrade
   * that arrives in that moment can be torn down with it (seen as a 1000 close of the next
   * connection; Payara issue 5432). Tests that open the next connection at once would be measuring
   * the container's race, not the relay.
   */
  public CloseReason awaitClose() {
    try {
      CloseReason reason = closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      Thread.sleep(CONTAINER_SETTLE.toMillis());
      return reason;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("the server did not close the connection", e);
    }
  }

  /** The close code the server chose. */
  public int awaitCloseCode() {
    return awaitClose().getCloseCode().getCode();
  }

  private String closeReason() {
    return closed.isDone() ? closed.join().toString() : "(open)";
  }

  public boolean isOpen() {
    return session.isOpen() && !closed.isDone();
  }

  @Override
  public void close() {
    try {
      if (session.isOpen()) {
        session.close();
      }
    } catch (IOException | IllegalStateException ignored) {
      // already closed
    }
  }
}
