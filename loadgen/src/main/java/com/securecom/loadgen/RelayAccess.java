package com.securecom.loadgen;

import com.securecom.client.net.ApiException;
import com.securecom.client.net.ServerApi;
import com.securecom.protocol.crypto.Bytes;
import jakarta.json.JsonObject;
import java.net.URI;
import java.util.function.Supplier;

/**
 * What a relay user needs to sign in and (re)connect: the server's REST API, the server key every
 * connection pins (fetched once, so a restarted server must present the same key), and the users'
 * password.
 *
 * <p>REST calls are retried once when the answer is a bare HTTP 5xx without a problem body: after a
 * server-initiated WebSocket close, Payara Micro 6 can answer one unrelated request with an HTML
 * 500.
 */
final class RelayAccess {
  private final ServerApi api;
  private final byte[] serverKey;
  private final String password;

  private RelayAccess(ServerApi api, byte[] serverKey, String password) {
    this.api = api;
    this.serverKey = serverKey;
    this.password = password;
  }

  /** Fetches the server key to pin from {@code GET /api/server-key}. */
  static RelayAccess of(URI server, String password) {
    ServerApi api = new ServerApi(server);
    byte[] key = Bytes.fromBase64(retryingOnce(api::serverKey).getString("publicKey"));
    return new RelayAccess(api, key, password);
  }

  URI channelUri() {
    return api.channelUri();
  }

  byte[] serverKey() {
    return serverKey.clone();
  }

  /** Registers {@code registration}; false if the name is taken already (an earlier run's user). */
  boolean register(JsonObject registration) {
    try {
      retryingOnce(
          () -> {
            api.register(registration);
            return null;
          });
      return true;
    } catch (ApiException e) {
      if (e.status() == 409) {
        return false;
      }
      throw e;
    }
  }

  /** Logs {@code username} in and returns a fresh bearer token. */
  String login(String username) {
    return retryingOnce(() -> api.login(username, password)).getString("token");
  }

  String password() {
    return password;
  }

  private static <T> T retryingOnce(Supplier<T> call) {
    try {
      return call.get();
    } catch (ApiException e) {
      if (e.status() >= 500 && e.code().startsWith("http_")) {
        return call.get();
      }
      throw e;
    }
  }
}
