package com.securecom.client.net;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.protocol.wire.WireMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * Opening the relay channel where there is none: an unreachable server, never a hang or a half-open
 * connection.
 */
class RelayConnectionTest {
  private static final RelayConnection.Listener IGNORING =
      new RelayConnection.Listener() {
        @Override
        public void onMessage(WireMessage message) {}

        @Override
        public void onClose(int code, String reason) {}
      };

  @Test
  void aPortNobodyListensOn_isUnreachable() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }

    assertThatThrownBy(
            () ->
                RelayConnection.open(
                    URI.create("ws://127.0.0.1:" + closed + "/ws"),
                    new byte[32],
                    "token",
                    IGNORING))
        .isInstanceOf(ServerUnreachableException.class)
        .hasMessageStartingWith("cannot reach the server at ws://127.0.0.1:" + closed);
  }

  @Test
  void anHttpServerWithoutTheChannel_isUnreachable() throws IOException {
    try (TinyHttpServer http = TinyHttpServer.start()) {
      URI channel = URI.create(http.uri().toString().replace("http:", "ws:") + "ws");

      assertThatThrownBy(() -> RelayConnection.open(channel, new byte[32], "token", IGNORING))
          .isInstanceOf(ServerUnreachableException.class);
    }
  }
}
