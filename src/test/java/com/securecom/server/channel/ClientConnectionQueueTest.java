package com.securecom.server.channel;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A frame for a connection whose socket its peer has just closed: the container throws, and the
 * connection that caused the send (another user's) must not fail with it.
 */
class ClientConnectionQueueTest {
  private final List<ByteBuffer> queued = new ArrayList<>();

  /** A session as Tyrus's: once closed, {@code getAsyncRemote} throws IllegalStateException. */
  private Session session(boolean closed) {
    RemoteEndpoint.Async remote =
        (RemoteEndpoint.Async)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("sendBinary")) {
                    queued.add((ByteBuffer) args[0]);
                  }
                  return null;
                });
    return (Session)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Session.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getAsyncRemote")) {
                if (closed) {
                  throw new IllegalStateException("The connection has been closed.");
                }
                return remote;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  private final SendHandler ignore = result -> {};

  @Test
  void anOpenSocket_queuesTheFrame() {
    ByteBuffer frame = ByteBuffer.wrap(new byte[] {1, 2, 3});

    assertThat(ClientConnection.queue(session(false), frame, ignore)).isTrue();
    assertThat(queued).containsExactly(frame);
  }

  @Test
  void aSocketItsPeerClosed_isReportedGone_insteadOfThrowingIntoTheCaller() {
    assertThat(ClientConnection.queue(session(true), ByteBuffer.wrap(new byte[3]), ignore))
        .isFalse();
    assertThat(queued).isEmpty();
  }
}
