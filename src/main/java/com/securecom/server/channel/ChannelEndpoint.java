package com.securecom.server.channel;

import com.securecom.protocol.channel.CloseCodes;
import com.securecom.server.channel.container.InboundFence;
import com.securecom.server.channel.container.UpgradeClient;
import jakarta.inject.Inject;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/**
 * {@code /ws}: the channel. Thin on purpose: each socket gets a {@link ClientConnection} that does
 * the work. Binary frames only; a text frame closes the connection with 1007. Frame sizes are
 * refused from their header, before they are buffered, by the {@link InboundFence} the container
 * reads the socket through (1009, by the connection); the {@code maxMessageSize} here is the
 * container's own ceiling behind it. The {@link UpgradeClient.Recorder} keeps who sent each
 * upgrade, so that a connection is limited per client address before its handshake ({@link
 * ConnectionThrottle}).
 */
@ServerEndpoint(value = "/ws", configurator = UpgradeClient.Recorder.class)
public class ChannelEndpoint {
  static final int HARD_FRAME_LIMIT = 1 << 20;

  // The WebSocket container creates one endpoint per connection with its no-argument constructor
  // and injects fields only: everything else a connection
  // needs is passed to ClientConnection by constructor from this one record of services.
  @Inject ConnectionServices services;

  private ClientConnection connection;

  @OnOpen
  public void open(Session session) {
    connection = services.open(session, InboundFence.ofConnectionBeingOpened());
  }

  @OnMessage(maxMessageSize = HARD_FRAME_LIMIT)
  public void frame(byte[] frame) {
    connection.onFrame(frame);
  }

  @OnMessage
  public void text(String text) {
    connection.close(CloseCodes.MALFORMED, "binary frames only");
  }

  @OnClose
  public void closed() {
    connection.closed();
  }

  @OnError
  public void failed(Throwable error) {
    // I/O errors and oversized frames end the socket; the container then calls closed().
  }
}
