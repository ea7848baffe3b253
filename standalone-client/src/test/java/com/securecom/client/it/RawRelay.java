package com.securecom.client.it;

import com.securecom.client.net.RelayConnection;
import com.securecom.client.net.ServerApi;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.wire.WireMessage;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A bare relay connection, without a Messenger: sends exactly the relay message it is given. */
final class RawRelay {
  private RawRelay() {}

  /**
   * Logs in as {@code user}, sends {@code message} on a fresh channel and returns the server's
   * answer to it.
   */
  static WireMessage send(URI server, String user, String password, WireMessage.Send message)
      throws Exception {
    ServerApi api = new ServerApi(server);
    String token = api.login(user, password).getString("token");
    byte[] serverKey = Bytes.fromBase64(api.serverKey().getString("publicKey"));
    CompletableFuture<WireMessage> answer = new CompletableFuture<>();
    RelayConnection.Listener listener =
        new RelayConnection.Listener() {
          @Override
          public void onMessage(WireMessage received) {
            if (received instanceof WireMessage.Accepted || received instanceof WireMessage.Error) {
              answer.complete(received);
            }
          }

          @Override
          public void onClose(int code, String reason) {
            answer.completeExceptionally(
                new IllegalStateException("closed " + code + " " + reason));
          }
        };
    try (RelayConnection relay =
        RelayConnection.open(api.channelUri(), serverKey, token, listener)) {
      relay.send(message);
      return answer.get(30, TimeUnit.SECONDS);
    }
  }
}
