package com.securecom.bare;

import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The baseline: frames {@code len(to) || to || payload} are forwarded as they are to {@code to}'s
 * socket. What is left of a relay when the cryptography, the database and the authentication are
 * taken away.
 *
 * <p>The same WAR runs on Payara Micro (Tyrus) and on WildFly (Undertow, {@code loadgen/wildfly}),
 * the peer it is measured against. The frame is copied before the asynchronous send: Undertow may
 * hand {@code onMessage} the backing array of a pooled buffer, which it frees and reuses as soon as
 * the method returns (its {@code FrameHandler.toArray} returns {@code ByteBuffer.array()} when one
 * heap buffer holds exactly the message), while the send may still be queued. The copy (about 1
 * KiB) costs well under a microsecond, also on Payara.
 */
@ServerEndpoint("/bare/{user}")
public class BareRelayEndpoint {
  private static final Map<String, Session> SESSIONS = new ConcurrentHashMap<>();

  @OnOpen
  public void open(Session session, @PathParam("user") String user) {
    SESSIONS.put(user, session);
  }

  @OnMessage(maxMessageSize = 1 << 20)
  public void frame(byte[] frame) {
    String to = new String(frame, 1, frame[0], StandardCharsets.US_ASCII);
    Session recipient = SESSIONS.get(to);
    if (recipient != null && recipient.isOpen()) {
      recipient.getAsyncRemote().sendBinary(ByteBuffer.wrap(frame.clone()));
    }
  }

  @OnClose
  public void close(Session session, @PathParam("user") String user) {
    SESSIONS.remove(user, session);
  }
}
