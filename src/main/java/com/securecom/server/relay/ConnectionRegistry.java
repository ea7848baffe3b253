package com.securecom.server.relay;

import com.securecom.protocol.channel.CloseCodes;
import com.securecom.server.session.TokenRevoked;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authenticated connections of this node, one per user: the single place through which deliveries reach a
 * socket. A second connection of a user replaces the first, which is closed with 4409.
 */
@ApplicationScoped
public class ConnectionRegistry {
  private final Map<String, ClientConnection> byUser = new ConcurrentHashMap<>();

  /** Makes {@code connection} its user's connection, closing the one it replaces. */
  void register(ClientConnection connection) {
    ClientConnection previous = byUser.put(connection.username(), connection);
    if (previous != null && previous != connection) {
      previous.close(CloseCodes.CONNECTED_ELSEWHERE, "connected elsewhere");
    }
  }

  /** Forgets {@code connection} if it is still its user's current one. */
  void unregister(ClientConnection connection) {
    if (connection.username() != null) {
      byUser.remove(connection.username(), connection);
    }
  }

  Optional<ClientConnection> find(String username) {
    return Optional.ofNullable(byUser.get(username));
  }

  public int size() {
    return byUser.size();
  }

  void closeRevoked(@Observes TokenRevoked revoked) {
    byUser.values().stream()
        .filter(c -> Arrays.equals(c.tokenHash(), revoked.tokenHash()))
        .forEach(c -> c.close(CloseCodes.UNAUTHORIZED, "logged out"));
  }

  /** Closes connections whose session expired at {@code now} (4401: log in again). */
  public void closeExpired(long now) {
    byUser.values().stream()
        .filter(c -> c.sessionExpiresAt() <= now)
        .forEach(c -> c.close(CloseCodes.UNAUTHORIZED, "session expired"));
  }
}
