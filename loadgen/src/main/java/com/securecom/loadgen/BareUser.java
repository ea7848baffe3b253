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
 * handshake, no login, no crypto, no persistence, no acknowledgements.
 */
final class BareUser extends SimulatedUser {
  private final Object sendLock = new Object();
  private volatile boolean closing;
  private Session session;

  BareUser(String name, int index, int window, Stats stats) {
    super(name, index, window, stats);
  }

  void connect(ClientManager client, URI base) throws Exception {
    Endpoint endpoint =
        new Endpoint() {
          @Override
          public void onOpen(Session s, EndpointConfig config) {
            s.setMaxBinaryMessageBufferSize(1 << 20);
            s.addMessageHandler(
                byte[].class,
                (MessageHandler.Whole<byte[]>) frame -> received(frame, 1 + frame[0]));
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
  }

  @Override
  void send(SimulatedUser to, long intendedNanos, int size) {
    byte[] payload = payload(size, intendedNanos).array();
    byte[] recipient = to.name.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer frame = ByteBuffer.allocate(1 + recipient.length + payload.length);
    frame.put((byte) recipient.length).put(recipient).put(payload).flip();
    try {
      synchronized (sendLock) {
        session.getBasicRemote().sendBinary(frame);
      }
      stats.sent.increment();
      stats.accepted.increment();
    } catch (IOException | IllegalStateException e) {
      stats.error("send-failed");
      window.release();
    }
  }

  @Override
  public void close() throws IOException {
    closing = true;
    if (session != null && session.isOpen()) {
      session.close();
    }
  }
}
