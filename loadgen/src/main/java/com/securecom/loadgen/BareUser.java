package com.securecom.loadgen;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.glassfish.tyrus.client.ClientManager;

/**
 * A user of the bare baseline relay: plain binary frames {@code len(to) || to || payload}, no
 * handshake, no login, no crypto, no persistence. The relay forwards every frame as it is to {@code
 * to}.
 *
 * <p>{@code acknowledged}: the frames carry one more byte after the address, {@link #MESSAGE} or
 * {@link #ACK}. The recipient answers each message with an ack frame addressed to the sender (the
 * payload's sender index says who), which the relay forwards like any other: four frames per
 * message, as SecureCom's fast path ({@code send}, {@code deliver}, {@code ack}, {@code relayed}),
 * without anything else SecureCom does. A message counts as accepted when its ack reaches the
 * sender.
 */
final class BareUser extends SimulatedUser {
  static final byte MESSAGE = 'M';
  static final byte ACK = 'A';

  /** An ack's body after its kind byte: the message's intended send time and the sender's index. */
  static final int ACK_BODY = PAYLOAD_HEADER;

  /** Where this user's frames go: its WebSocket to the relay. */
  interface Link {
    void write(ByteBuffer frame) throws IOException;
  }

  private final boolean acknowledged;
  private final Object sendLock = new Object();
  private volatile boolean closing;
  private Session session;
  private Link link;

  BareUser(String name, int index, int window, Stats stats, boolean acknowledged) {
    super(name, index, window, stats);
    this.acknowledged = acknowledged;
  }

  void connect(ClientManager client, URI base) throws Exception {
    Endpoint endpoint =
        new Endpoint() {
          @Override
          public void onOpen(Session s, EndpointConfig config) {
            s.setMaxBinaryMessageBufferSize(1 << 20);
            s.addMessageHandler(byte[].class, (MessageHandler.Whole<byte[]>) BareUser.this::frame);
          }

          @Override
          public void onClose(Session s, CloseReason reason) {
            if (!closing) {
              stats.disconnect("closed-" + reason.getCloseCode().getCode());
            }
          }
        };
    session =
        client.connectToServer(
            endpoint,
            ClientEndpointConfig.Builder.create().build(),
            URI.create(base.toString().replaceFirst("^http", "ws") + "bare/" + name));
    Session connected = session;
    link(frame -> connected.getBasicRemote().sendBinary(frame));
  }

  /** Sends this user's frames through {@code link} (what {@link #connect} sets up). */
  void link(Link link) {
    this.link = link;
  }

  /** A frame the relay forwarded to this user. */
  void frame(byte[] frame) {
    int body = 1 + frame[0];
    if (!acknowledged) {
      received(frame, body);
      return;
    }
    if (frame[body] == ACK) {
      stats.accepted.increment();
      return;
    }
    received(frame, body + 1);
    int sender = ByteBuffer.wrap(frame, body + 1 + 8, 4).getInt();
    if (sender >= 0 && sender < everyone.length) {
      write(frame(everyone[sender].name, ACK, ByteBuffer.wrap(frame, body + 1, ACK_BODY)));
    }
  }

  @Override
  void send(SimulatedUser to, long intendedNanos, int size) {
    ByteBuffer payload = payload(size, intendedNanos);
    payload.rewind();
    if (write(acknowledged ? frame(to.name, MESSAGE, payload) : frame(to.name, payload))) {
      stats.sent.increment();
      if (!acknowledged) {
        stats.accepted.increment();
      }
    } else {
      window.release();
    }
  }

  private boolean write(ByteBuffer frame) {
    try {
      synchronized (sendLock) {
        link.write(frame);
      }
      return true;
    } catch (IOException | IllegalStateException e) {
      stats.error("send-failed");
      return false;
    }
  }

  /** {@code len(to) || to || body}: what the bare relay routes. */
  static ByteBuffer frame(String to, ByteBuffer body) {
    return addressed(to, body.remaining()).put(body).flip();
  }

  /** {@code len(to) || to || kind || body}: a frame of the acknowledged mode. */
  static ByteBuffer frame(String to, byte kind, ByteBuffer body) {
    return addressed(to, 1 + body.remaining()).put(kind).put(body).flip();
  }

  /** A buffer holding {@code len(to) || to}, with room for {@code rest} more bytes. */
  private static ByteBuffer addressed(String to, int rest) {
    byte[] recipient = to.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(1 + recipient.length + rest)
        .put((byte) recipient.length)
        .put(recipient);
  }

  @Override
  public void close() throws IOException {
    closing = true;
    if (session != null && session.isOpen()) {
      session.close();
    }
  }
}
